using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSuite.Engine.Templates;

/// <summary>
/// Converts caller-supplied CLR values into template values: string, bool, integers (to long), floating point
/// (to double), <see cref="IDictionary{TKey,TValue}"/>/<see cref="IReadOnlyDictionary{TKey,TValue}"/>/
/// <see cref="IDictionary"/> (to an ordered dict), lists and other enumerables (to lists),
/// <see cref="JsonElement"/> and <see cref="JsonNode"/> (JSON integers stay integers like Python's json.loads).
/// </summary>
internal static class ValueConverter
{
    public static object? Convert(object? value, int depth = 0)
    {
        if (depth > 128)
        {
            throw new ArgumentException("Template variables are nested more than 128 levels deep (cyclic structure?).");
        }

        switch (value)
        {
            case null:
                return null;
            case string s:
                return s;
            case bool b:
                return b;
            case int i:
                return (long)i;
            case long l:
                return l;
            case double d:
                return d;
            case float f:
                return (double)f;
            case decimal m:
                return (double)m;
            case short or byte or sbyte or ushort or uint:
                return System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            case ulong ul:
                return ul <= long.MaxValue ? (long)ul : (double)ul;
            case char c:
                return c.ToString();
            case Undefined or Namespace or PyCallable or PyTuple:
                return value;
            case PyDict pd:
                return pd;
            case JsonElement je:
                return FromJson(je, depth);
            case JsonNode node:
                return FromJson(JsonSerializer.SerializeToElement(node), depth);
            case IDictionary<string, object?> gd:
            {
                var d = new PyDict(gd.Count);
                foreach (var kv in gd)
                {
                    d.Set(kv.Key, Convert(kv.Value, depth + 1));
                }

                return d;
            }

            case IReadOnlyDictionary<string, object?> rd:
            {
                var d = new PyDict(rd.Count);
                foreach (var kv in rd)
                {
                    d.Set(kv.Key, Convert(kv.Value, depth + 1));
                }

                return d;
            }

            case IDictionary nd:
            {
                var d = new PyDict(nd.Count);
                foreach (DictionaryEntry kv in nd)
                {
                    d.Set(Convert(kv.Key, depth + 1), Convert(kv.Value, depth + 1));
                }

                return d;
            }

            case IEnumerable e:
            {
                var list = new List<object?>();
                foreach (var item in e)
                {
                    list.Add(Convert(item, depth + 1));
                }

                return list;
            }

            default:
                throw new ArgumentException(
                    $"Template variables must be string, bool, number, null, a list or a string-keyed dictionary (or JsonElement/JsonNode); got {value.GetType().FullName}.");
        }
    }

    private static object? FromJson(JsonElement e, int depth)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var d = new PyDict();
                foreach (var p in e.EnumerateObject())
                {
                    d.Set(p.Name, FromJson(p.Value, depth + 1));
                }

                return d;
            }

            case JsonValueKind.Array:
            {
                var list = new List<object?>(e.GetArrayLength());
                foreach (var item in e.EnumerateArray())
                {
                    list.Add(FromJson(item, depth + 1));
                }

                return list;
            }

            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
            {
                var raw = e.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") < 0 && e.TryGetInt64(out var l))
                {
                    return l;
                }

                return e.GetDouble();
            }

            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
