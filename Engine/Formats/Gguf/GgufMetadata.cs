namespace LlmSuite.Engine.Formats.Gguf;

/// <summary>
/// GGUF metadata key/values. Scalars are boxed CLR values (byte, sbyte, ushort, short, uint, int, float, bool,
/// string, ulong, long, double); arrays are typed CLR arrays (string[], int[], float[], ...) and nested arrays are
/// object[] of those.
/// </summary>
public sealed class GgufMetadata
{
    private readonly Dictionary<string, object> _values;
    private readonly string _source;

    internal GgufMetadata(Dictionary<string, object> values, string source)
    {
        _values = values;
        _source = source;
    }

    /// <summary>Every key/value in file order.</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>True when the key exists.</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The raw value or null.</summary>
    public object? Get(string key) => _values.TryGetValue(key, out object? v) ? v : null;

    /// <summary>A string value, or null when absent; throws naming the key when it has another type.</summary>
    public string? GetString(string key) => Get(key) switch
    {
        null => null,
        string s => s,
        object o => throw WrongType(key, o, "string"),
    };

    /// <summary>Any integer value as long, or null when absent.</summary>
    public long? GetInteger(string key) => Get(key) switch
    {
        null => null,
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v when v <= long.MaxValue => (long)v,
        long v => v,
        object o => throw WrongType(key, o, "integer"),
    };

    /// <summary>An integer that must fit an int, or null when absent.</summary>
    public int? GetInt32(string key)
    {
        long? v = GetInteger(key);
        if (v is null)
        {
            return null;
        }
        return v is >= int.MinValue and <= int.MaxValue ? (int)v.Value : throw new InvalidDataException($"{_source}: metadata '{key}' = {v} does not fit a 32-bit integer");
    }

    /// <summary>A float32/float64 (or integer) value as double, or null when absent.</summary>
    public double? GetDouble(string key) => Get(key) switch
    {
        null => null,
        float f => f,
        double d => d,
        object o when o is byte or sbyte or ushort or short or uint or int or ulong or long => Convert.ToDouble(o, System.Globalization.CultureInfo.InvariantCulture),
        object o => throw WrongType(key, o, "number"),
    };

    /// <summary>A bool value, or null when absent.</summary>
    public bool? GetBool(string key) => Get(key) switch
    {
        null => null,
        bool b => b,
        object o => throw WrongType(key, o, "bool"),
    };

    /// <summary>A string array, or null when absent.</summary>
    public string[]? GetStringArray(string key) => Get(key) switch
    {
        null => null,
        string[] a => a,
        object o => throw WrongType(key, o, "string array"),
    };

    /// <summary>An integer array of any element type converted to int, or null when absent.</summary>
    public int[]? GetInt32Array(string key) => Get(key) switch
    {
        null => null,
        int[] a => a,
        uint[] a => a.Select(v => checked((int)v)).ToArray(),
        short[] a => a.Select(v => (int)v).ToArray(),
        ushort[] a => a.Select(v => (int)v).ToArray(),
        sbyte[] a => a.Select(v => (int)v).ToArray(),
        byte[] a => a.Select(v => (int)v).ToArray(),
        long[] a => a.Select(v => checked((int)v)).ToArray(),
        ulong[] a => a.Select(v => checked((int)v)).ToArray(),
        object o => throw WrongType(key, o, "integer array"),
    };

    /// <summary>A float array (float32 or float64 elements), or null when absent.</summary>
    public float[]? GetFloatArray(string key) => Get(key) switch
    {
        null => null,
        float[] a => a,
        double[] a => a.Select(v => (float)v).ToArray(),
        object o => throw WrongType(key, o, "float array"),
    };

    private InvalidDataException WrongType(string key, object value, string expected) =>
        new($"{_source}: metadata '{key}' should be a {expected} but is {value.GetType().Name}");
}
