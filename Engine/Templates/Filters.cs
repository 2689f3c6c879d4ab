using System.Globalization;
using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>
/// Jinja2's builtin filters (the ones chat templates use) plus Hugging Face's <c>tojson</c>. Each follows the
/// Python implementation in <c>jinja2/filters.py</c>; collection filters are in <c>Filters.Collections.cs</c>.
/// </summary>
internal static partial class Filters
{
    private static readonly HashSet<string> Names =
    [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "first",
        "float", "forceescape", "format", "indent", "int", "items", "join", "last", "length", "list", "lower", "map",
        "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort",
        "string", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "wordcount",
    ];

    public static bool Exists(string name) => Names.Contains(name);

    public static object? Apply(Interpreter interp, string name, object? value, CallArgs args)
    {
        switch (name)
        {
            case "abs":
                return value switch
                {
                    long l => l == long.MinValue ? throw new TemplateException("integer overflow") : (object)Math.Abs(l),
                    double d => (object)Math.Abs(d),
                    bool b => (object)(b ? 1L : 0L),
                    _ => throw new TemplateException($"bad operand type for abs(): '{PyRepr.TypeName(value)}'"),
                };
            case "attr":
                return PyAccess.GetPythonAttr(value, PyRepr.Str(args.Get(0, "name")));
            case "capitalize":
                return PyString.Capitalize(SoftStr(value));
            case "center":
                return Center(SoftStr(value), (int)ToInt(args.Get(0, "width", 80L)));
            case "count":
            case "length":
                return PyAccess.Length(value);
            case "d":
            case "default":
            {
                var fallback = args.Get(0, "default_value", "");
                var boolean = PyOps.Truthy(args.Get(1, "boolean", false));
                return value is Undefined || (boolean && !PyOps.Truthy(value)) ? fallback : value;
            }

            case "e":
            case "escape":
            case "forceescape":
                return Escape(SoftStr(value));
            case "float":
                return value is Undefined uf ? throw uf.Fail() : ToFloat(value, args.Get(0, "default", 0.0));
            case "format":
                return PercentFormat(SoftStr(value), args.Keywords.Length > 0 ? KwDict(args) : new PyTuple(args.Positional));
            case "indent":
                return Indent(value switch
                    {
                        string str => str,
                        Undefined u => throw u.Fail(),
                        List<object?> => throw new TemplateException("'list' object has no attribute 'splitlines'"),
                        _ => throw new TemplateException($"unsupported operand type(s) for +=: '{PyRepr.TypeName(value)}' and 'str'"),
                    }, args.Get(0, "width", 4L), PyOps.Truthy(args.Get(1, "first", false)), PyOps.Truthy(args.Get(2, "blank", false)));
            case "int":
                return value is Undefined ui ? throw ui.Fail() : ToIntFilter(value, args.Get(0, "default", 0L), ToInt(args.Get(1, "base", 10L)));
            case "lower":
                return PyString.Lower(SoftStr(value));
            case "upper":
                return PyString.Upper(SoftStr(value));
            case "title":
                return Title(SoftStr(value));
            case "replace":
            {
                var count = args.Get(2, "count");
                return PyString.Replace(SoftStr(value), PyRepr.Str(args.Get(0, "old")), PyRepr.Str(args.Get(1, "new")), count is null ? -1 : ToInt(count));
            }

            case "round":
                return Round(value, ToInt(args.Get(0, "precision", 0L)), PyRepr.Str(args.Get(1, "method", "common")));
            case "safe":
                return value is string ? value : PyRepr.Str(value);
            case "string":
                return SoftStr(value);
            case "tojson":
                return PyJson.Dumps(value,
                    ensureAscii: PyOps.Truthy(args.Get(0, "ensure_ascii", false)),
                    indent: args.Get(1, "indent"),
                    separators: args.Get(2, "separators"),
                    sortKeys: PyOps.Truthy(args.Get(3, "sort_keys", false)));
            case "trim":
            {
                var chars = args.Get(0, "chars");
                return PyString.Strip(SoftStr(value), chars is null ? null : PyRepr.Str(chars), left: true, right: true);
            }

            case "truncate":
                return Truncate(SoftStr(value), ToInt(args.Get(0, "length", 255L)), PyOps.Truthy(args.Get(1, "killwords", false)),
                    PyRepr.Str(args.Get(2, "end", "...")), args.Get(3, "leeway"));
            case "wordcount":
                return WordCount(SoftStr(value));
            default:
                return ApplyCollection(interp, name, value, args);
        }
    }

    /// <summary>Jinja's <c>soft_str</c>: <c>str(value)</c> with Undefined as "".</summary>
    internal static string SoftStr(object? value) => value as string ?? PyRepr.Str(value);

    internal static long ToInt(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => (long)d,
        Undefined u => throw u.Fail(),
        _ => throw new TemplateException($"'{PyRepr.TypeName(v)}' object cannot be interpreted as an integer"),
    };

    private static PyDict KwDict(CallArgs args)
    {
        var d = new PyDict();
        foreach (var kv in args.Keywords)
        {
            d.Set(kv.Key, kv.Value);
        }

        return d;
    }

    private static string Center(string s, int width)
    {
        var len = PyString.Length(s);
        if (width <= len)
        {
            return s;
        }

        var marg = width - len;
        var left = marg / 2 + (marg & width & 1);
        return new string(' ', left) + s + new string(' ', marg - left);
    }

    private static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&#34;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }

        return sb.ToString();
    }

    /// <summary>Jinja's <c>title</c> filter: capitalize after runs of whitespace and <c>-({[&lt;</c>.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            var isSep = IsTitleSep(s[i]);
            while (i < s.Length && IsTitleSep(s[i]) == isSep)
            {
                i++;
            }

            var part = s[start..i];
            sb.Append(isSep ? part : char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant());
        }

        return sb.ToString();
    }

    private static bool IsTitleSep(char c) => c is '-' or '(' or '{' or '[' or '<' || PyString.IsSpace(c);

    private static object? ToFloat(object? value, object? fallback)
    {
        switch (value)
        {
            case double d:
                return d;
            case long l:
                return (double)l;
            case bool b:
                return b ? 1.0 : 0.0;
            case string s:
            {
                var t = PyString.Strip(s, null, true, true).Replace("_", "");
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
                {
                    return r;
                }

                return t.ToLowerInvariant() switch
                {
                    "nan" or "+nan" or "-nan" => double.NaN,
                    "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
                    "-inf" or "-infinity" => double.NegativeInfinity,
                    _ => fallback,
                };
            }

            default:
                return fallback;
        }
    }

    private static object? ToIntFilter(object? value, object? fallback, long numberBase)
    {
        switch (value)
        {
            case long l:
                return l;
            case bool b:
                return b ? 1L : 0L;
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string s:
            {
                var t = PyString.Strip(s, null, true, true).Replace("_", "");
                try
                {
                    if (numberBase == 10 && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var r))
                    {
                        return r;
                    }

                    if (numberBase != 10 && t.Length > 0)
                    {
                        var neg = t.StartsWith('-');
                        var body = t.TrimStart('+', '-');
                        if (numberBase == 16 && body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                        {
                            body = body[2..];
                        }

                        var v = Convert.ToInt64(body, (int)numberBase);
                        return neg ? -v : v;
                    }
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                }

                return ToFloat(s, null) is double f && double.IsFinite(f) ? (long)Math.Truncate(f) : fallback;
            }

            default:
                return fallback;
        }
    }

    private static string Indent(string s, object? width, bool first, bool blank)
    {
        var indention = width is string ws ? ws : new string(' ', (int)Math.Max(0, ToInt(width)));
        s += "\n";
        string rv;
        var lines = PyString.SplitLines(s);
        if (blank)
        {
            rv = string.Join("\n" + indention, lines);
        }
        else
        {
            rv = lines.Count > 0 ? lines[0] : "";
            if (lines.Count > 1)
            {
                rv += "\n" + string.Join("\n", lines.Skip(1).Select(l => l.Length > 0 ? indention + l : l));
            }
        }

        return first ? indention + rv : rv;
    }

    private static object Round(object? value, long precision, string method)
    {
        if (method is not ("common" or "ceil" or "floor"))
        {
            throw new TemplateException("method must be common, ceil or floor");
        }

        if (method == "common")
        {
            if (value is long or bool)
            {
                var l = value is bool b ? (b ? 1L : 0L) : (long)value;
                if (precision >= 0)
                {
                    return l;
                }

                var p = (long)Math.Pow(10, -precision);
                var q = Math.Round((double)l / p, MidpointRounding.ToEven);
                return (long)q * p;
            }

            var d = value is double dd ? dd : throw new TemplateException($"type {PyRepr.TypeName(value)} doesn't define __round__ method");
            return precision >= 0 && precision <= 15
                ? Math.Round(d, (int)precision, MidpointRounding.ToEven)
                : precision > 15 ? d : Math.Round(d / Math.Pow(10, -precision), MidpointRounding.ToEven) * Math.Pow(10, -precision);
        }

        var x = value switch
        {
            long l2 => l2,
            double d2 => d2,
            bool b2 => b2 ? 1 : 0,
            _ => throw new TemplateException($"must be real number, not {PyRepr.TypeName(value)}"),
        };
        var scale = Math.Pow(10, precision);
        return (method == "ceil" ? Math.Ceiling(x * scale) : Math.Floor(x * scale)) / scale;
    }

    private static string Truncate(string s, long length, bool killwords, string end, object? leeway)
    {
        var lw = leeway is null ? 5 : ToInt(leeway);
        if (length < end.Length)
        {
            throw new TemplateException($"expected length >= {end.Length}, got {length}");
        }

        if (PyString.Length(s) <= length + lw)
        {
            return s;
        }

        var cut = s[..(int)(length - end.Length)];
        if (killwords)
        {
            return cut + end;
        }

        var idx = cut.LastIndexOf(' ');
        return (idx >= 0 ? cut[..idx] : cut) + end;
    }

    private static long WordCount(string s)
    {
        long n = 0;
        var inWord = false;
        foreach (var c in s)
        {
            var w = char.IsLetterOrDigit(c) || c == '_';
            if (w && !inWord)
            {
                n++;
            }

            inWord = w;
        }

        return n;
    }

    /// <summary>Python's printf-style <c>str % args</c> for %s %r %d %i %f %e %g %x %o %c %%.</summary>
    public static string PercentFormat(string fmt, object? args)
    {
        var positional = args is PyTuple t ? t.Items : [args];
        var mapping = args as PyDict;
        var sb = new StringBuilder();
        var argIndex = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var c = fmt[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= fmt.Length)
            {
                throw new TemplateException("incomplete format");
            }

            object? arg;
            if (fmt[i] == '(')
            {
                var close = fmt.IndexOf(')', i);
                if (close < 0 || mapping is null)
                {
                    throw new TemplateException("format requires a mapping");
                }

                var key = fmt[(i + 1)..close];
                arg = mapping.TryGetValue(key, out var mv) ? mv : throw new TemplateException($"KeyError: {PyRepr.Repr(key)}");
                i = close + 1;
            }
            else
            {
                arg = null;
            }

            var flagsStart = i;
            while (i < fmt.Length && "-+ #0".Contains(fmt[i]))
            {
                i++;
            }

            var flags = fmt[flagsStart..i];
            var widthStart = i;
            while (i < fmt.Length && char.IsAsciiDigit(fmt[i]))
            {
                i++;
            }

            var width = i > widthStart ? int.Parse(fmt[widthStart..i], CultureInfo.InvariantCulture) : 0;
            int? precision = null;
            if (i < fmt.Length && fmt[i] == '.')
            {
                var ps = ++i;
                while (i < fmt.Length && char.IsAsciiDigit(fmt[i]))
                {
                    i++;
                }

                precision = i > ps ? int.Parse(fmt[ps..i], CultureInfo.InvariantCulture) : 0;
            }

            if (i >= fmt.Length)
            {
                throw new TemplateException("incomplete format");
            }

            var conv = fmt[i];
            if (conv == '%')
            {
                sb.Append('%');
                continue;
            }

            if (mapping is null || fmt[flagsStart - 1] != ')')
            {
                if (argIndex >= positional.Length)
                {
                    throw new TemplateException("not enough arguments for format string");
                }

                arg = positional[argIndex++];
            }

            var text = conv switch
            {
                's' => PyRepr.Str(arg),
                'r' or 'a' => PyRepr.Repr(arg),
                'd' or 'i' or 'u' => ToInt(arg is double dv ? (long)Math.Truncate(dv) : arg).ToString(CultureInfo.InvariantCulture),
                'f' or 'F' => ToDouble(arg).ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture),
                'e' or 'E' => FormatExp(ToDouble(arg), precision ?? 6, conv),
                'g' or 'G' => ToDouble(arg).ToString("G" + (precision ?? 6), CultureInfo.InvariantCulture),
                'x' => ToInt(arg).ToString("x", CultureInfo.InvariantCulture),
                'X' => ToInt(arg).ToString("X", CultureInfo.InvariantCulture),
                'o' => Convert.ToString(ToInt(arg), 8),
                'c' => arg is string cs ? cs : char.ConvertFromUtf32((int)ToInt(arg)),
                _ => throw new TemplateException($"unsupported format character '{conv}'"),
            };
            if (conv == 's' && precision is { } p && p < text.Length)
            {
                text = text[..p];
            }

            if (flags.Contains('+') && conv is 'd' or 'i' or 'f' or 'e' && !text.StartsWith('-'))
            {
                text = "+" + text;
            }

            if (text.Length < width)
            {
                text = flags.Contains('-') ? text.PadRight(width)
                    : flags.Contains('0') && conv != 's' ? text.PadLeft(width, '0')
                    : text.PadLeft(width);
            }

            sb.Append(text);
        }

        // Python accepts leftover arguments only when the argument is a mapping-like object (dict, list).
        if (mapping is null && argIndex < positional.Length && args is not List<object?>)
        {
            throw new TemplateException("not all arguments converted during string formatting");
        }

        return sb.ToString();
    }

    private static double ToDouble(object? v) => v switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new TemplateException($"must be real number, not {PyRepr.TypeName(v)}"),
    };

    private static string FormatExp(double d, int precision, char conv)
    {
        var s = d.ToString((conv == 'E' ? "E" : "e") + precision, CultureInfo.InvariantCulture);
        // .NET gives e+006; Python gives e+06.
        var ePos = s.IndexOfAny(['e', 'E']);
        var exp = int.Parse(s[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return s[..(ePos + 1)] + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }
}
