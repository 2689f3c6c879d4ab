using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// A BPE model over token ids: the vocabulary, the merge table (pair of ids -> rank and merged id) and the
/// word-level encoder. Byte-level models start from one symbol per UTF-8 byte (GPT-2 map); character-level
/// (SentencePiece-style) models start from one symbol per code point, falling back to &lt;0xNN&gt; byte tokens.
/// Thread-safe after construction.
/// </summary>
internal sealed class BpeModel
{
    private const int StackSymbols = 128;
    private const int MaxCachedWordLength = 64;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabLookup;
    private readonly Dictionary<long, long> _merges; // (left << 32 | right) -> (rank << 32 | mergedId)
    private readonly int[] _byteToId; // [256] byte-level initial symbols or <0xNN> fallback ids, -1 if absent
    private readonly TokenCache _cache;
    private readonly int[]? _charToId; // [65536] single-char tokens of character-level models, -1 if absent

    public BpeModel(Dictionary<string, int> vocab, Dictionary<long, long> merges, BpeOptions options)
    {
        _vocab = vocab;
        _vocabLookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _merges = merges;
        Options = options;
        _cache = new TokenCache(options.CacheCapacity);
        _byteToId = new int[256];
        Span<char> name = stackalloc char[6];
        for (var b = 0; b < 256; b++)
        {
            if (options.ByteLevel)
            {
                _byteToId[b] = vocab.TryGetValue(ByteLevelMap.ByteToChar[b].ToString(), out var id) ? id : -1;
            }
            else if (options.ByteFallback)
            {
                _byteToId[b] = _vocabLookup.TryGetValue(ByteTokenName(b, name), out var id) ? id : -1;
            }
            else
            {
                _byteToId[b] = -1;
            }
        }
        if (!options.ByteLevel)
        {
            _charToId = new int[0x10000];
            Array.Fill(_charToId, -1);
            foreach (var (token, id) in vocab)
            {
                if (token.Length == 1)
                {
                    _charToId[token[0]] = id;
                }
            }
        }
        var maxId = -1;
        foreach (var id in vocab.Values)
        {
            maxId = Math.Max(maxId, id);
        }
        MaxId = maxId;
    }

    public BpeOptions Options { get; }

    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    public int MaxId { get; }

    public int MergeCount => _merges.Count;

    public static ReadOnlySpan<char> ByteTokenName(int b, Span<char> destination) // [6]
    {
        destination[0] = '<';
        destination[1] = '0';
        destination[2] = 'x';
        destination[3] = "0123456789ABCDEF"[b >> 4];
        destination[4] = "0123456789ABCDEF"[b & 15];
        destination[5] = '>';
        return destination[..6];
    }

    public static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _vocabLookup.TryGetValue(token, out id);

    /// <summary>Encodes one pre-token and appends its ids.</summary>
    public void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.IsEmpty)
        {
            return;
        }
        if (word.Length <= MaxCachedWordLength)
        {
            if (_cache.TryGet(word, out var cached))
            {
                output.AddRange(cached);
                return;
            }
            var start = output.Count;
            EncodeUncached(word, output);
            _cache.Add(word, CollectionsMarshal.AsSpan(output)[start..]);
            return;
        }
        EncodeUncached(word, output);
    }

    private void EncodeUncached(ReadOnlySpan<char> word, List<int> output)
    {
        if (Options.ByteLevel)
        {
            EncodeBytes(word, output);
        }
        else
        {
            EncodeChars(word, output);
        }
    }

    private void EncodeBytes(ReadOnlySpan<char> word, List<int> output)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        byte[]? rentedBytes = null;
        var bytes = maxBytes <= 512 ? stackalloc byte[512] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var count = Encoding.UTF8.GetBytes(word, bytes);
            bytes = bytes[..count];
            if (Options.IgnoreMerges && TryWholeWord(bytes, output))
            {
                return;
            }
            int[]? rentedIds = null;
            var ids = count <= StackSymbols ? stackalloc int[StackSymbols] : (rentedIds = ArrayPool<int>.Shared.Rent(count));
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var id = _byteToId[bytes[i]];
                    ids[i] = id >= 0 ? id : UnknownOrThrow(bytes[i]);
                }
                Merge(ids[..count], output);
            }
            finally
            {
                if (rentedIds is not null)
                {
                    ArrayPool<int>.Shared.Return(rentedIds);
                }
            }
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }
        }
    }

    private bool TryWholeWord(ReadOnlySpan<byte> bytes, List<int> output)
    {
        if (bytes.Length > 256)
        {
            return false;
        }
        Span<char> mapped = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            mapped[i] = ByteLevelMap.ByteToChar[bytes[i]];
        }
        if (_vocabLookup.TryGetValue(mapped, out var id))
        {
            output.Add(id);
            return true;
        }
        return false;
    }

    private int UnknownOrThrow(byte b)
    {
        if (Options.UnkId is int unk)
        {
            return unk;
        }
        throw new InvalidOperationException($"The byte-level vocabulary has no token for byte 0x{b:X2} and no unk token.");
    }

    private void EncodeChars(ReadOnlySpan<char> word, List<int> output)
    {
        if (Options.IgnoreMerges && _vocabLookup.TryGetValue(word, out var whole))
        {
            output.Add(whole);
            return;
        }
        // Worst case: every char is a 4-byte fallback... each UTF-16 unit yields at most 3 bytes (a pair yields 4).
        var max = word.Length * 3;
        int[]? rented = null;
        var ids = max <= StackSymbols ? stackalloc int[StackSymbols] : (rented = ArrayPool<int>.Shared.Rent(max));
        try
        {
            var count = 0;
            var previousUnknown = false;
            int id;
            Span<byte> utf8 = stackalloc byte[4];
            for (var i = 0; i < word.Length;)
            {
                var length = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
                var symbol = word.Slice(i, length);
                i += length;
                bool found;
                if (length == 1)
                {
                    id = _charToId![symbol[0]];
                    found = id >= 0;
                }
                else
                {
                    found = _vocabLookup.TryGetValue(symbol, out id);
                }
                if (found)
                {
                    ids[count++] = id;
                    previousUnknown = false;
                    continue;
                }
                if (Options.ByteFallback && TryByteFallback(symbol, utf8, ids, ref count))
                {
                    previousUnknown = false;
                    continue;
                }
                if (Options.UnkId is not int unk)
                {
                    throw new InvalidOperationException($"The vocabulary has no token for '{symbol.ToString()}' and no unk token.");
                }
                if (!(Options.FuseUnk && previousUnknown))
                {
                    ids[count++] = unk;
                }
                previousUnknown = true;
            }
            Merge(ids[..count], output);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    private bool TryByteFallback(ReadOnlySpan<char> symbol, Span<byte> utf8, Span<int> ids, ref int count)
    {
        if (Rune.DecodeFromUtf16(symbol, out var rune, out _) != OperationStatus.Done)
        {
            rune = Rune.ReplacementChar;
        }
        var n = rune.EncodeToUtf8(utf8);
        for (var k = 0; k < n; k++)
        {
            if (_byteToId[utf8[k]] < 0)
            {
                return false;
            }
        }
        for (var k = 0; k < n; k++)
        {
            ids[count++] = _byteToId[utf8[k]];
        }
        return true;
    }

    /// <summary>
    /// Applies merges to the symbols, lowest rank first, leftmost on ties (a binary heap of (rank, position) over a
    /// doubly linked list of symbols: O(n log n)), and appends the result.
    /// </summary>
    private void Merge(Span<int> ids, List<int> output) // ids: [n], overwritten
    {
        var n = ids.Length;
        if (n == 1)
        {
            output.Add(ids[0]);
            return;
        }
        var heapCapacity = 3 * n;
        int[]? rentedLinks = null;
        long[]? rentedHeap = null;
        var links = n <= StackSymbols ? stackalloc int[2 * StackSymbols] : (rentedLinks = ArrayPool<int>.Shared.Rent(2 * n));
        var heapBuffer = n <= StackSymbols ? stackalloc long[3 * StackSymbols] : (rentedHeap = ArrayPool<long>.Shared.Rent(heapCapacity));
        try
        {
            var prev = links[..n];
            var next = links.Slice(n, n);
            var heap = new MinHeap(heapBuffer);
            for (var i = 0; i < n; i++)
            {
                prev[i] = i - 1;
                next[i] = i + 1 < n ? i + 1 : -1;
                if (i + 1 < n && _merges.TryGetValue(PairKey(ids[i], ids[i + 1]), out var m))
                {
                    heap.Push(((m >> 32) << 32) | (uint)i);
                }
            }
            while (heap.Count > 0)
            {
                var top = heap.Pop();
                var pos = (int)(uint)top;
                var rank = top >> 32;
                var right = next[pos];
                if (ids[pos] < 0 || right < 0)
                {
                    continue;
                }
                if (!_merges.TryGetValue(PairKey(ids[pos], ids[right]), out var merge) || (merge >> 32) != rank)
                {
                    continue; // stale entry: a neighbour changed since it was pushed
                }
                ids[pos] = (int)(uint)merge;
                ids[right] = -1;
                var after = next[right];
                next[pos] = after;
                if (after >= 0)
                {
                    prev[after] = pos;
                    if (_merges.TryGetValue(PairKey(ids[pos], ids[after]), out var m2))
                    {
                        heap.Push(((m2 >> 32) << 32) | (uint)pos);
                    }
                }
                var before = prev[pos];
                if (before >= 0 && _merges.TryGetValue(PairKey(ids[before], ids[pos]), out var m3))
                {
                    heap.Push(((m3 >> 32) << 32) | (uint)before);
                }
            }
            for (var i = 0; i >= 0; i = next[i])
            {
                output.Add(ids[i]);
            }
        }
        finally
        {
            if (rentedLinks is not null)
            {
                ArrayPool<int>.Shared.Return(rentedLinks);
            }
            if (rentedHeap is not null)
            {
                ArrayPool<long>.Shared.Return(rentedHeap);
            }
        }
    }

    /// <summary>A binary min-heap of packed (rank, position) keys over a caller buffer.</summary>
    private ref struct MinHeap(Span<long> items)
    {
        private readonly Span<long> _items = items;

        public int Count { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(long value)
        {
            var i = Count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (_items[parent] <= value)
                {
                    break;
                }
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = value;
        }

        public long Pop()
        {
            var top = _items[0];
            var last = _items[--Count];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= Count)
                {
                    break;
                }
                if (child + 1 < Count && _items[child + 1] < _items[child])
                {
                    child++;
                }
                if (last <= _items[child])
                {
                    break;
                }
                _items[i] = _items[child];
                i = child;
            }
            if (Count > 0)
            {
                _items[i] = last;
            }
            return top;
        }
    }
}

/// <summary>Options of a <see cref="BpeModel"/>.</summary>
internal sealed record BpeOptions
{
    public bool ByteLevel { get; init; }
    public bool ByteFallback { get; init; }
    public bool FuseUnk { get; init; }
    public bool IgnoreMerges { get; init; }
    public int? UnkId { get; init; }
    public int CacheCapacity { get; init; } = 50_000;
}
