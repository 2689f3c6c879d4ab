namespace LlmSuite.Engine.Templates;

/// <summary>Evaluated call arguments: positional values and keyword values in call order.</summary>
internal readonly struct CallArgs(object?[] positional, KeyValuePair<string, object?>[]? keywords)
{
    public static readonly CallArgs None = new([], null);

    public object?[] Positional { get; } = positional;

    public KeyValuePair<string, object?>[] Keywords { get; } = keywords ?? [];

    public int Count => Positional.Length;

    /// <summary>Argument at <paramref name="index"/> or keyword <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        if (index >= 0 && index < Positional.Length)
        {
            return Positional[index];
        }

        foreach (var kv in Keywords)
        {
            if (kv.Key == name)
            {
                return kv.Value;
            }
        }

        return fallback;
    }

    public bool Has(int index, string name)
    {
        if (index >= 0 && index < Positional.Length)
        {
            return true;
        }

        foreach (var kv in Keywords)
        {
            if (kv.Key == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A new argument list with <paramref name="first"/> prepended (filters receive their input first).</summary>
    public CallArgs Prepend(object? first)
    {
        var pos = new object?[Positional.Length + 1];
        pos[0] = first;
        Array.Copy(Positional, 0, pos, 1, Positional.Length);
        return new CallArgs(pos, Keywords);
    }
}
