namespace LlmSuite.Engine.KvCache;

/// <summary>
/// Bookkeeping of the paged KV cache, free of tensors: a pool of fixed-size blocks with reference counts, per-sequence
/// <see cref="BlockTable"/>s and a prefix cache keyed by chained block hashes (<see cref="BlockHasher"/>). Blocks whose
/// reference count drops to zero stay cached (hash kept) in an LRU list and are evicted only when a fresh block is
/// needed; blocks without a hash are reused first. Not thread-safe: the engine loop owns it.
/// </summary>
public sealed class BlockManager
{
    private const int None = -1;
    private readonly int[] _refCount;       // [NumBlocks]
    private readonly ulong[] _hash;         // [NumBlocks] valid when _hashed
    private readonly bool[] _hashed;        // [NumBlocks]
    private readonly int[] _prev, _next;    // free list (ref count 0), head = evicted first
    private readonly Dictionary<ulong, int> _byHash = new();
    private int _head = None, _tail = None;

    /// <summary>Creates a pool of <paramref name="numBlocks"/> blocks.</summary>
    public BlockManager(int numBlocks, BlockHasher hasher, bool enablePrefixCaching = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBlocks);
        ArgumentNullException.ThrowIfNull(hasher);
        NumBlocks = numBlocks;
        Hasher = hasher;
        EnablePrefixCaching = enablePrefixCaching;
        _refCount = new int[numBlocks];
        _hash = new ulong[numBlocks];
        _hashed = new bool[numBlocks];
        _prev = new int[numBlocks];
        _next = new int[numBlocks];
        for (int b = 0; b < numBlocks; b++)
        {
            PushTail(b);
        }
        FreeBlocks = numBlocks;
    }

    /// <summary>Blocks in the pool.</summary>
    public int NumBlocks { get; }

    /// <summary>Tokens per block.</summary>
    public int BlockSize => Hasher.BlockSize;

    /// <summary>The hash definition in use.</summary>
    public BlockHasher Hasher { get; }

    /// <summary>Whether full computed blocks are registered and reused across sequences.</summary>
    public bool EnablePrefixCaching { get; }

    /// <summary>Blocks with reference count zero (never used, or cached and evictable).</summary>
    public int FreeBlocks { get; private set; }

    /// <summary>Blocks referenced by at least one sequence.</summary>
    public int UsedBlocks => NumBlocks - FreeBlocks;

    /// <summary>Blocks referenced by more than one sequence (shared prefix / forked prompt blocks).</summary>
    public int SharedBlocks { get; private set; }

    /// <summary>Blocks that carry a prefix hash (referenced or not).</summary>
    public int CachedBlocks => _byHash.Count;

    /// <summary>Fraction of blocks in use, [0, 1].</summary>
    public double Usage => (double)UsedBlocks / NumBlocks;

    /// <summary>Prompt tokens looked up in the prefix cache (vLLM prefix_cache_queries).</summary>
    public long PrefixCacheQueries { get; private set; }

    /// <summary>Prompt tokens found in the prefix cache (vLLM prefix_cache_hits).</summary>
    public long PrefixCacheHits { get; private set; }

    /// <summary>Blocks needed to hold <paramref name="tokens"/> positions.</summary>
    public int BlocksFor(int tokens) => (tokens + BlockSize - 1) / BlockSize;

    /// <summary>Reference count of a block.</summary>
    public int RefCount(int block) => _refCount[block];

    /// <summary>Whether a block carries a prefix hash.</summary>
    public bool IsCached(int block) => _hashed[block];

    /// <summary>Leading full blocks of <paramref name="tokens"/> present in the prefix cache (at least one token is left to compute).</summary>
    public int CountCachedBlocks(ReadOnlySpan<int> tokens, ulong rootHash) => Lookup(tokens, rootHash, null, out _);

    /// <summary>Whether <see cref="Allocate"/> for these tokens would succeed now.</summary>
    public bool CanAllocate(ReadOnlySpan<int> tokens, ulong rootHash)
    {
        int hits = Lookup(tokens, rootHash, null, out int freeHits);
        int fresh = BlocksFor(tokens.Length) - hits;
        return fresh + freeHits <= FreeBlocks;
    }

    /// <summary>
    /// Gives an empty <paramref name="table"/> blocks for all of <paramref name="tokens"/>: leading cached blocks are
    /// shared (reference count + 1), the rest are fresh. Returns the number of tokens already computed (cached).
    /// Throws when there are not enough free blocks (call <see cref="CanAllocate"/> first).
    /// </summary>
    public int Allocate(BlockTable table, ReadOnlySpan<int> tokens)
    {
        if (table.Count != 0)
        {
            throw new InvalidOperationException("the block table is not empty; free it before allocating again");
        }
        if (!CanAllocate(tokens, table.RootHash))
        {
            throw new InvalidOperationException($"not enough free KV blocks: {BlocksFor(tokens.Length)} needed, {FreeBlocks} free");
        }
        var hits = new List<(int Block, ulong Hash)>();
        Lookup(tokens, table.RootHash, hits, out _);
        foreach (var (block, hash) in hits)
        {
            Reference(block);
            table.BlockList.Add(block);
            table.HashList.Add(hash);
        }
        int total = BlocksFor(tokens.Length);
        while (table.Count < total)
        {
            table.BlockList.Add(TakeFresh());
        }
        PrefixCacheQueries += tokens.Length;
        PrefixCacheHits += hits.Count * BlockSize;
        return hits.Count * BlockSize;
    }

    /// <summary>Whether the table can grow to hold <paramref name="totalTokens"/> positions.</summary>
    public bool CanAppend(BlockTable table, int totalTokens) => BlocksFor(totalTokens) - table.Count <= FreeBlocks;

    /// <summary>Adds fresh blocks so the table holds <paramref name="totalTokens"/> positions.</summary>
    public void Append(BlockTable table, int totalTokens)
    {
        if (!CanAppend(table, totalTokens))
        {
            throw new InvalidOperationException($"not enough free KV blocks to grow to {totalTokens} tokens ({FreeBlocks} free)");
        }
        int total = BlocksFor(totalTokens);
        while (table.Count < total)
        {
            table.BlockList.Add(TakeFresh());
        }
    }

    /// <summary>
    /// Registers the hashes of the full blocks of <paramref name="tokens"/> whose K/V are now computed (the first
    /// <paramref name="computedTokens"/> positions), so later sequences can reuse them.
    /// </summary>
    public void MarkComputed(BlockTable table, ReadOnlySpan<int> tokens, int computedTokens)
    {
        int full = Math.Min(computedTokens / BlockSize, table.Count);
        while (table.HashList.Count < full)
        {
            int i = table.HashList.Count;
            ulong parent = i == 0 ? table.RootHash : table.HashList[i - 1];
            ulong hash = Hasher.Hash(parent, tokens.Slice(i * BlockSize, BlockSize));
            table.HashList.Add(hash);
            int block = table.BlockList[i];
            if (EnablePrefixCaching && !_hashed[block] && !_byHash.ContainsKey(hash))
            {
                _hash[block] = hash;
                _hashed[block] = true;
                _byHash[hash] = block;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="child"/> (empty) share the first <paramref name="sharedBlocks"/> blocks of
    /// <paramref name="parent"/> (reference count + 1 each) and gives it fresh blocks up to <paramref name="totalTokens"/>.
    /// Returns false (and changes nothing) when fresh blocks are short.
    /// </summary>
    public bool TryFork(BlockTable parent, BlockTable child, int sharedBlocks, int totalTokens)
    {
        if (child.Count != 0)
        {
            throw new InvalidOperationException("the child block table is not empty");
        }
        if (sharedBlocks > parent.Count || sharedBlocks > parent.HashedBlocks)
        {
            throw new ArgumentOutOfRangeException(nameof(sharedBlocks), $"only full computed blocks can be shared: {sharedBlocks} requested, parent has {parent.HashedBlocks}");
        }
        int fresh = BlocksFor(totalTokens) - sharedBlocks;
        if (fresh > FreeBlocks)
        {
            return false;
        }
        for (int i = 0; i < sharedBlocks; i++)
        {
            Reference(parent.BlockList[i]);
            child.BlockList.Add(parent.BlockList[i]);
            child.HashList.Add(parent.HashList[i]);
        }
        for (int i = 0; i < fresh; i++)
        {
            child.BlockList.Add(TakeFresh());
        }
        return true;
    }

    /// <summary>Drops the table's references (last block first, so a chain's tail is evicted before its head) and empties it.</summary>
    public void Free(BlockTable table)
    {
        for (int i = table.BlockList.Count - 1; i >= 0; i--)
        {
            Release(table.BlockList[i]);
        }
        table.BlockList.Clear();
        table.HashList.Clear();
    }

    /// <summary>
    /// Checks the pool's invariants: free-list membership equals reference count zero, counters match, the hash map
    /// points at hashed blocks. Throws <see cref="InvalidOperationException"/> describing the first violation.
    /// </summary>
    public void CheckInvariants()
    {
        var inList = new bool[NumBlocks];
        int count = 0;
        for (int b = _head; b != None; b = _next[b])
        {
            if (inList[b])
            {
                throw new InvalidOperationException($"block {b} appears twice in the free list");
            }
            inList[b] = true;
            count++;
        }
        if (count != FreeBlocks)
        {
            throw new InvalidOperationException($"free list holds {count} blocks but FreeBlocks is {FreeBlocks}");
        }
        int shared = 0;
        for (int b = 0; b < NumBlocks; b++)
        {
            if (_refCount[b] < 0 || (_refCount[b] == 0) != inList[b])
            {
                throw new InvalidOperationException($"block {b} has ref count {_refCount[b]} but is {(inList[b] ? "" : "not ")}in the free list");
            }
            shared += _refCount[b] > 1 ? 1 : 0;
        }
        if (shared != SharedBlocks)
        {
            throw new InvalidOperationException($"{shared} blocks are shared but SharedBlocks is {SharedBlocks}");
        }
        foreach (var (hash, block) in _byHash)
        {
            if (!_hashed[block] || _hash[block] != hash)
            {
                throw new InvalidOperationException($"hash map entry {hash:x16} points at block {block} which does not carry it");
            }
        }
    }

    private int Lookup(ReadOnlySpan<int> tokens, ulong rootHash, List<(int, ulong)>? hits, out int freeHits)
    {
        freeHits = 0;
        if (!EnablePrefixCaching)
        {
            return 0;
        }
        int max = (tokens.Length - 1) / BlockSize;   // leave at least one token to compute (its logits are needed)
        ulong parent = rootHash;
        int n = 0;
        for (; n < max; n++)
        {
            ulong hash = Hasher.Hash(parent, tokens.Slice(n * BlockSize, BlockSize));
            if (!_byHash.TryGetValue(hash, out int block))
            {
                break;
            }
            freeHits += _refCount[block] == 0 ? 1 : 0;
            hits?.Add((block, hash));
            parent = hash;
        }
        return n;
    }

    private void Reference(int block)
    {
        if (_refCount[block] == 0)
        {
            Unlink(block);
            FreeBlocks--;
        }
        else if (_refCount[block] == 1)
        {
            SharedBlocks++;
        }
        _refCount[block]++;
    }

    private void Release(int block)
    {
        if (_refCount[block] <= 0)
        {
            throw new InvalidOperationException($"block {block} released more often than referenced");
        }
        _refCount[block]--;
        if (_refCount[block] == 1)
        {
            SharedBlocks--;
        }
        else if (_refCount[block] == 0)
        {
            if (_hashed[block])
            {
                PushTail(block);   // most recently used: evicted last
            }
            else
            {
                PushHead(block);   // nothing to keep: reused first
            }
            FreeBlocks++;
        }
    }

    private int TakeFresh()
    {
        int block = _head;
        if (block == None)
        {
            throw new InvalidOperationException("no free KV block");
        }
        Unlink(block);
        FreeBlocks--;
        if (_hashed[block])
        {
            _byHash.Remove(_hash[block]);   // LRU eviction
            _hashed[block] = false;
        }
        _refCount[block] = 1;
        return block;
    }

    private void PushTail(int block)
    {
        _prev[block] = _tail;
        _next[block] = None;
        if (_tail != None)
        {
            _next[_tail] = block;
        }
        else
        {
            _head = block;
        }
        _tail = block;
    }

    private void PushHead(int block)
    {
        _next[block] = _head;
        _prev[block] = None;
        if (_head != None)
        {
            _prev[_head] = block;
        }
        else
        {
            _tail = block;
        }
        _head = block;
    }

    private void Unlink(int block)
    {
        int p = _prev[block], n = _next[block];
        if (p != None) { _next[p] = n; } else { _head = n; }
        if (n != None) { _prev[n] = p; } else { _tail = p; }
        _prev[block] = _next[block] = None;
    }
}
