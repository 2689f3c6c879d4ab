using System.Globalization;
using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>
/// Python's <c>json.dumps</c> as Hugging Face binds it for the <c>tojson</c> filter:
/// <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)</c>.
/// Default separators are <c>(', ', ': ')</c> without indent and <c>(',', ': ')</c> with indent.
/// </summary>
internal static class PyJson
{
    public static string Dumps(object? value, bool ensureAscii = false, object? indent = null, object? separators = null, bool sortKeys = false)
    {
        string? indentStr = indent switch
        {
            null => null,
            string s => s,
            long n => new string(' ', (int)Math.Max(0, n)),
            bool b => new string(' ', b ? 1 : 0),
            Undefined => null,
            _ => throw new TemplateException($"indent must be an int or str, not {PyRepr.TypeName(indent)}"),
        };
        string itemSep = indentStr is null ? ", " : ",";
        var keySep = ": ";
        if (separators is PyTuple or List<object?>)
        {
            var parts = PyAccess.Iterate(separators);
            if (parts.Count != 2)
            {
                throw new TemplateException("separators must be an (item_separator, key_separator) tuple");
            }

            itemSep = PyRepr.Str(parts[0]);
            keySep = PyRepr.Str(parts[1]);
        }

        var sb = new StringBuilder();
        new Writer(sb, ensureAscii, indentStr, itemSep, keySep, sortKeys).Write(value, 0);
        return sb.ToString();
    }

    private readonly struct Writer(StringBuilder sb, bool ensureAscii, string? indent, string itemSep, string keySep, bool sortKeys)
    {
        public void Write(object? value, int level)
        {
            switch (value)
            {
                case null:
                    sb.Append("null");
                    break;
                case bool b:
                    sb.Append(b ? "true" : "false");
                    break;
                case long l:
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    sb.Append(FloatText(d));
                    break;
                case string s:
                    WriteString(s);
                    break;
                case List<object?> list:
                    WriteArray(list, level);
                    break;
                case PyTuple t:
                    WriteArray(t.Items, level);
                    break;
                case PyDict dict:
                    WriteObject(dict, level);
                    break;
                default:
                    throw new TemplateException($"Object of type {PyRepr.TypeName(value)} is not JSON serializable");
            }
        }

        private static string FloatText(double d)
        {
            if (double.IsNaN(d))
            {
                return "NaN";
            }

            if (double.IsInfinity(d))
            {
                return d > 0 ? "Infinity" : "-Infinity";
            }

            return PyRepr.Float(d);
        }

        private void NewLine(int level)
        {
            sb.Append('\n');
            for (var i = 0; i < level; i++)
            {
                sb.Append(indent);
            }
        }

        private void WriteArray(IReadOnlyList<object?> items, int level)
        {
            if (items.Count == 0)
            {
                sb.Append("[]");
                return;
            }

            sb.Append('[');
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(itemSep);
                }

                if (indent is not null)
                {
                    NewLine(level + 1);
                }

                Write(items[i], level + 1);
            }

            if (indent is not null)
            {
                NewLine(level);
            }

            sb.Append(']');
        }

        private void WriteObject(PyDict dict, int level)
        {
            if (dict.Count == 0)
            {
                sb.Append("{}");
                return;
            }

            IEnumerable<KeyValuePair<string, object?>> pairs = dict.Items.Select(kv => new KeyValuePair<string, object?>(KeyText(PyDict.KeyValue(kv.Key)), kv.Value));
            if (sortKeys)
            {
                pairs = pairs.OrderBy(kv => kv.Key, StringComparer.Ordinal);
            }

            sb.Append('{');
            var first = true;
            foreach (var kv in pairs)
            {
                if (!first)
                {
                    sb.Append(itemSep);
                }

                first = false;
                if (indent is not null)
                {
                    NewLine(level + 1);
                }

                WriteString(kv.Key);
                sb.Append(keySep);
                Write(kv.Value, level + 1);
            }

            if (indent is not null)
            {
                NewLine(level);
            }

            sb.Append('}');
        }

        private static string KeyText(object? key) => key switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => FloatText(d),
            null => "null",
            _ => throw new TemplateException($"keys must be str, int, float, bool or None, not {PyRepr.TypeName(key)}"),
        };

        private void WriteString(string s)
        {
            sb.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        if (c < 0x20 || (ensureAscii && c > 0x7e))
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }

                        break;
                }
            }

            sb.Append('"');
        }
    }
}
