using System.Collections.Concurrent;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// A bounded, thread-safe cache from pre-token text to its ids. Lookups take a span (no allocation on a hit);
/// when the cache is full it is cleared, which bounds memory at the cost of re-warming.
/// </summary>
internal sealed class TokenCache(int capacity)
{
    private readonly ConcurrentDictionary<string, int[]> _entries = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private bool _lookupReady;

    public bool TryGet(ReadOnlySpan<char> key, out int[] ids)
    {
        if (!_lookupReady)
        {
            _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
            _lookupReady = true;
        }
        return _lookup.TryGetValue(key, out ids!);
    }

    public void Add(ReadOnlySpan<char> key, ReadOnlySpan<int> ids)
    {
        if (capacity <= 0)
        {
            return;
        }
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
        _entries.TryAdd(key.ToString(), ids.ToArray());
    }
}
