using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>Python methods of str, dict, list and tuple that the immutable sandbox allows.</summary>
internal static class Methods
{
    public static object? Call(object receiver, string name, CallArgs args) => receiver switch
    {
        string s => CallStr(s, name, args),
        PyDict d => CallDict(d, name, args),
        List<object?> l => CallSeq(l, name, args),
        PyTuple t => CallSeq(t.Items, name, args),
        _ => throw new TemplateException($"{PyRepr.Repr(PyRepr.TypeName(receiver))} object has no attribute {PyRepr.Repr(name)}"),
    };

    private static string? OptStr(CallArgs args, int index, string name)
    {
        var v = args.Get(index, name);
        return v switch
        {
            null => null,
            string s => s,
            Undefined u => throw u.Fail(),
            _ => throw new TemplateException($"argument must be str or None, not {PyRepr.TypeName(v)}"),
        };
    }

    private static string ReqStr(CallArgs args, int index, string name)
    {
        var v = args.Get(index, name);
        return v switch
        {
            string s => s,
            Undefined u => throw u.Fail(),
            _ => throw new TemplateException($"must be str, not {PyRepr.TypeName(v)}"),
        };
    }

    private static object? CallStr(string s, string name, CallArgs args)
    {
        if (args.Keywords.Length > 0 && name is not ("split" or "rsplit" or "splitlines" or "format" or "expandtabs" or "encode"))
        {
            throw new TemplateException($"str.{name}() takes no keyword arguments");
        }

        switch (name)
        {
            case "strip": return PyString.Strip(s, OptStr(args, 0, "chars"), true, true);
            case "lstrip": return PyString.Strip(s, OptStr(args, 0, "chars"), true, false);
            case "rstrip": return PyString.Strip(s, OptStr(args, 0, "chars"), false, true);
            case "split": return PyString.Split(s, OptStr(args, 0, "sep"), (int)Filters.ToInt(args.Get(1, "maxsplit", -1L)));
            case "rsplit": return PyString.RSplit(s, OptStr(args, 0, "sep"), (int)Filters.ToInt(args.Get(1, "maxsplit", -1L)));
            case "splitlines": return PyString.SplitLines(s).Cast<object?>().ToList();
            case "startswith": return Affix(s, args, (str, p) => str.StartsWith(p, StringComparison.Ordinal));
            case "endswith": return Affix(s, args, (str, p) => str.EndsWith(p, StringComparison.Ordinal));
            case "upper": return PyString.Upper(s);
            case "lower" or "casefold": return PyString.Lower(s);
            case "swapcase": return new string(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray());
            case "title": return PyString.Title(s);
            case "capitalize": return PyString.Capitalize(s);
            case "replace":
                return PyString.Replace(s, ReqStr(args, 0, "old"), ReqStr(args, 1, "new"), Filters.ToInt(args.Get(2, "count", -1L)));
            case "find": return (long)Find(s, ReqStr(args, 0, "sub"), args, reverse: false);
            case "rfind": return (long)Find(s, ReqStr(args, 0, "sub"), args, reverse: true);
            case "index":
            case "rindex":
            {
                var i = Find(s, ReqStr(args, 0, "sub"), args, reverse: name == "rindex");
                return i >= 0 ? (long)i : throw new TemplateException("substring not found");
            }

            case "count":
            {
                var sub = ReqStr(args, 0, "sub");
                if (sub.Length == 0)
                {
                    return (long)PyString.Length(s) + 1;
                }

                long n = 0;
                for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
                {
                    n++;
                }

                return n;
            }

            case "join":
            {
                var sb = new StringBuilder();
                var first = true;
                var index = 0;
                foreach (var item in PyAccess.Iterate(args.Get(0, "iterable")))
                {
                    if (item is not string part)
                    {
                        throw new TemplateException($"sequence item {index}: expected str instance, {PyRepr.TypeName(item)} found");
                    }

                    index++;
                    if (!first)
                    {
                        sb.Append(s);
                    }

                    first = false;
                    sb.Append(part);
                }

                return sb.ToString();
            }

            case "format": return StrFormat(s, args);
            case "format_map": return StrFormat(s, new CallArgs([], MapToKeywords(args.Get(0, "mapping"))));
            case "isdigit" or "isnumeric" or "isdecimal": return s.Length > 0 && s.All(char.IsDigit);
            case "isalpha": return s.Length > 0 && s.All(char.IsLetter);
            case "isalnum": return s.Length > 0 && s.All(char.IsLetterOrDigit);
            case "isspace": return s.Length > 0 && s.All(PyString.IsSpace);
            case "islower": return s.Any(char.IsLetter) && !s.Any(char.IsUpper);
            case "isupper": return s.Any(char.IsLetter) && !s.Any(char.IsLower);
            case "istitle": return s.Length > 0 && PyString.Title(s) == s && s.Any(char.IsLetter);
            case "zfill":
            {
                var width = (int)Filters.ToInt(args.Get(0, "width"));
                if (s.Length >= width)
                {
                    return s;
                }

                var sign = s.Length > 0 && (s[0] == '-' || s[0] == '+') ? s[..1] : "";
                return sign + new string('0', width - s.Length) + s[sign.Length..];
            }

            case "center" or "ljust" or "rjust":
            {
                var width = (int)Filters.ToInt(args.Get(0, "width"));
                var fill = OptStr(args, 1, "fillchar") ?? " ";
                var len = PyString.Length(s);
                if (width <= len)
                {
                    return s;
                }

                var pad = width - len;
                var left = name == "rjust" ? pad : name == "ljust" ? 0 : pad / 2 + (pad & width & 1);
                return string.Concat(Enumerable.Repeat(fill, left)) + s + string.Concat(Enumerable.Repeat(fill, pad - left));
            }

            case "partition" or "rpartition":
            {
                var sep = ReqStr(args, 0, "sep");
                var i = name == "partition" ? s.IndexOf(sep, StringComparison.Ordinal) : s.LastIndexOf(sep, StringComparison.Ordinal);
                if (i < 0)
                {
                    return name == "partition" ? new PyTuple([s, "", ""]) : new PyTuple(["", "", s]);
                }

                return new PyTuple([s[..i], sep, s[(i + sep.Length)..]]);
            }

            case "removeprefix":
            {
                var p = ReqStr(args, 0, "prefix");
                return p.Length > 0 && s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s;
            }

            case "removesuffix":
            {
                var p = ReqStr(args, 0, "suffix");
                return p.Length > 0 && s.EndsWith(p, StringComparison.Ordinal) ? s[..^p.Length] : s;
            }

            default:
                throw new TemplateException($"'str' object has no attribute {PyRepr.Repr(name)}");
        }
    }

    private static KeyValuePair<string, object?>[] MapToKeywords(object? mapping)
        => mapping is PyDict d
            ? d.Items.Select(kv => new KeyValuePair<string, object?>(PyRepr.Str(PyDict.KeyValue(kv.Key)), kv.Value)).ToArray()
            : throw new TemplateException("format_map() argument must be a mapping");

    private static bool Affix(string s, CallArgs args, Func<string, string, bool> test)
    {
        var target = Slice(s, args.Get(1, "start"), args.Get(2, "end"));
        var affix = args.Get(0, "prefix");
        if (affix is PyTuple t)
        {
            return t.Items.Any(p => p is string ps && test(target, ps));
        }

        return affix is string a ? test(target, a)
            : throw new TemplateException($"startswith first arg must be str or a tuple of str, not {PyRepr.TypeName(affix)}");
    }

    private static string Slice(string s, object? start, object? end)
    {
        if (start is null && end is null)
        {
            return s;
        }

        return (string)PyAccess.GetItem(s, new SliceValue(start, end, null))!;
    }

    private static int Find(string s, string sub, CallArgs args, bool reverse)
    {
        var startArg = args.Get(1, "start");
        var offset = 0;
        if (startArg is not null)
        {
            offset = (int)new SliceValue(startArg, null, null).Resolve(s.Length).Start;
        }

        var target = Slice(s, startArg, args.Get(2, "end"));
        var i = reverse ? target.LastIndexOf(sub, StringComparison.Ordinal) : target.IndexOf(sub, StringComparison.Ordinal);
        return i < 0 ? -1 : i + offset;
    }

    /// <summary><c>str.format</c> with <c>{}</c>, <c>{0}</c>, <c>{name}</c>, <c>{{</c>/<c>}}</c>; conversions and specs are
    /// applied with <c>!r</c>/<c>!s</c> and simple fill/align/width.</summary>
    private static string StrFormat(string fmt, CallArgs args)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var c = fmt[i];
            if (c == '{')
            {
                if (i + 1 < fmt.Length && fmt[i + 1] == '{')
                {
                    sb.Append('{');
                    i++;
                    continue;
                }

                var close = fmt.IndexOf('}', i);
                if (close < 0)
                {
                    throw new TemplateException("Single '{' encountered in format string");
                }

                var field = fmt[(i + 1)..close];
                string? spec = null;
                var colon = field.IndexOf(':');
                if (colon >= 0)
                {
                    spec = field[(colon + 1)..];
                    field = field[..colon];
                }

                var conversion = 's';
                var bang = field.IndexOf('!');
                if (bang >= 0)
                {
                    conversion = field[bang + 1];
                    field = field[..bang];
                }

                object? value;
                if (field.Length == 0)
                {
                    value = auto < args.Count ? args.Positional[auto++] : throw new TemplateException("Replacement index out of range for positional args tuple");
                }
                else if (int.TryParse(field, out var idx))
                {
                    value = idx < args.Count ? args.Positional[idx] : throw new TemplateException("Replacement index out of range for positional args tuple");
                }
                else
                {
                    var parts = field.Split('.');
                    value = args.Has(-1, parts[0]) ? args.Get(-1, parts[0]) : throw new TemplateException($"KeyError: {PyRepr.Repr(parts[0])}");
                    foreach (var part in parts.Skip(1))
                    {
                        value = PyAccess.GetAttr(value, part);
                    }
                }

                var text = conversion == 'r' ? PyRepr.Repr(value) : PyRepr.Str(value);
                sb.Append(ApplySpec(text, spec, value is long or double));
                i = close;
                continue;
            }

            if (c == '}')
            {
                if (i + 1 < fmt.Length && fmt[i + 1] == '}')
                {
                    i++;
                }
                else
                {
                    throw new TemplateException("Single '}' encountered in format string");
                }
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string ApplySpec(string text, string? spec, bool numeric)
    {
        if (string.IsNullOrEmpty(spec))
        {
            return text;
        }

        var fill = ' ';
        var align = numeric ? '>' : '<';
        var p = 0;
        if (spec.Length >= 2 && spec[1] is '<' or '>' or '^')
        {
            fill = spec[0];
            align = spec[1];
            p = 2;
        }
        else if (spec[0] is '<' or '>' or '^')
        {
            align = spec[0];
            p = 1;
        }

        var digits = new string(spec[p..].TakeWhile(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0 || !int.TryParse(digits, out var width) || text.Length >= width)
        {
            return text;
        }

        var pad = width - text.Length;
        return align switch
        {
            '<' => text + new string(fill, pad),
            '>' => new string(fill, pad) + text,
            _ => new string(fill, pad / 2) + text + new string(fill, pad - pad / 2),
        };
    }

    private static object? CallDict(PyDict d, string name, CallArgs args)
    {
        switch (name)
        {
            case "items":
                return PyIterator.View("dict_items", d.Items.Select(kv => (object?)new PyTuple([PyDict.KeyValue(kv.Key), kv.Value])).ToList());
            case "keys":
                return PyIterator.View("dict_keys", d.Keys.Select(PyDict.KeyValue).ToList());
            case "values":
                return PyIterator.View("dict_values", d.Values.ToList());
            case "get":
                return d.TryGetValue(args.Get(0, "key"), out var v) ? v : args.Get(1, "default");
            case "copy":
            {
                var copy = new PyDict(d.Count);
                foreach (var kv in d.Items)
                {
                    copy.Set(PyDict.KeyValue(kv.Key), kv.Value);
                }

                return copy;
            }

            default:
                throw new TemplateException($"'dict' object has no attribute {PyRepr.Repr(name)}");
        }
    }

    private static object? CallSeq(IReadOnlyList<object?> items, string name, CallArgs args)
    {
        switch (name)
        {
            case "index":
            {
                var x = args.Get(0, "value");
                for (var i = 0; i < items.Count; i++)
                {
                    if (PyOps.Eq(items[i], x))
                    {
                        return (long)i;
                    }
                }

                throw new TemplateException($"{PyRepr.Repr(x)} is not in list");
            }

            case "count":
            {
                var x = args.Get(0, "value");
                return (long)items.Count(i => PyOps.Eq(i, x));
            }

            case "copy":
                return new List<object?>(items);
            default:
                throw new TemplateException($"'list' object has no attribute {PyRepr.Repr(name)}");
        }
    }
}
