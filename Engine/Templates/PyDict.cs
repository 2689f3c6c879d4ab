namespace LlmSuite.Engine.Templates;

/// <summary>An insertion-ordered Python dict with Python key equality (1 == 1.0 == True).</summary>
internal sealed class PyDict
{
    private readonly OrderedDictionary<object, object?> _map;

    public PyDict(int capacity = 0) => _map = new OrderedDictionary<object, object?>(capacity, PyKeyComparer.Instance);

    public int Count => _map.Count;

    public IEnumerable<object> Keys => _map.Keys;

    public IEnumerable<object?> Values => _map.Values;

    public IEnumerable<KeyValuePair<object, object?>> Items => _map;

    public bool TryGetValue(object? key, out object? value) => _map.TryGetValue(key ?? PyKeyComparer.NoneKey, out value);

    public bool ContainsKey(object? key) => TryGetValue(key, out _);

    public void Set(object? key, object? value) => _map[key ?? PyKeyComparer.NoneKey] = value;

    /// <summary>Converts a stored key back to the value Jinja sees (None sentinel to null).</summary>
    public static object? KeyValue(object key) => ReferenceEquals(key, PyKeyComparer.NoneKey) ? null : key;
}

/// <summary>Hashing and equality of dict keys with Python semantics for str/int/float/bool/None/tuple.</summary>
internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static readonly PyKeyComparer Instance = new();
    public static readonly object NoneKey = new();

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (ReferenceEquals(x, NoneKey) || ReferenceEquals(y, NoneKey))
        {
            return false;
        }

        return PyOps.Eq(x, y);
    }

    public int GetHashCode(object obj)
    {
        switch (obj)
        {
            case string s:
                return string.GetHashCode(s, StringComparison.Ordinal);
            case bool b:
                return b ? 1 : 0;
            case long l:
                return l.GetHashCode();
            case double d:
                return d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? ((long)d).GetHashCode() : d.GetHashCode();
            case PyTuple t:
            {
                var h = new HashCode();
                foreach (var item in t.Items)
                {
                    h.Add(item is null ? 0 : GetHashCode(item));
                }

                return h.ToHashCode();
            }

            default:
                return System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
