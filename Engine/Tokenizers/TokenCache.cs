using System.Collections.Concurrent;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// A bounded, thread-safe cache from pre-token text to its ids. Lookups take a span (no allocation on a hit);
/// when the cache is full it is cleared, which bounds memory at the cost of re-warming.
/// </summary>
internal sealed class TokenCache
{
    private readonly int _capacity;
    private int _count; // approximate; ConcurrentDictionary.Count would take every lock
    private readonly ConcurrentDictionary<string, int[]> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TokenCache(int capacity)
    {
        _capacity = capacity;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(ReadOnlySpan<char> key, out int[] ids) => _lookup.TryGetValue(key, out ids!);

    public void Add(ReadOnlySpan<char> key, ReadOnlySpan<int> ids)
    {
        if (_capacity <= 0)
        {
            return;
        }
        if (Volatile.Read(ref _count) >= _capacity)
        {
            _entries.Clear();
            Volatile.Write(ref _count, 0);
        }
        if (_entries.TryAdd(key.ToString(), ids.ToArray()))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
