using LlmSuite.Engine.KvCache;

namespace LlmSuite.Engine.Tests.KvCache;

public class BlockManagerTests
{
    private static int[] Tokens(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.Next(0, 1000)).ToArray();
    }

    [Fact]
    public void Allocate_SharedPrefixComputed_SecondSequenceHitsFullBlocks()
    {
        var bm = new BlockManager(16, new BlockHasher(4));
        int[] a = Tokens(10, 1);
        var ta = new BlockTable(bm.Hasher.Root(null));
        Assert.Equal(0, bm.Allocate(ta, a));
        bm.MarkComputed(ta, a, a.Length);
        int[] b = [.. a.Take(9), 777, 778];
        var tb = new BlockTable(bm.Hasher.Root(null));
        Assert.Equal(8, bm.Allocate(tb, b));
        Assert.Equal(ta.Blocks.Take(2), tb.Blocks.Take(2));
        Assert.Equal(2, bm.SharedBlocks);
        Assert.Equal(2, bm.RefCount(ta.Blocks[0]));
        Assert.Equal(21, bm.PrefixCacheQueries);
        Assert.Equal(8, bm.PrefixCacheHits);
        bm.CheckInvariants();
    }

    [Fact]
    public void Allocate_DifferentSalt_NoHits()
    {
        var bm = new BlockManager(16, new BlockHasher(4));
        int[] a = Tokens(12, 2);
        var ta = new BlockTable(bm.Hasher.Root("tenant-a"));
        bm.Allocate(ta, a);
        bm.MarkComputed(ta, a, a.Length);
        Assert.Equal(0, bm.Allocate(new BlockTable(bm.Hasher.Root("tenant-b")), a));
        Assert.Equal(2, bm.CountCachedBlocks(a, bm.Hasher.Root("tenant-a")));
    }

    [Fact]
    public void Allocate_WholePromptCached_LastTokenLeftToCompute()
    {
        var bm = new BlockManager(16, new BlockHasher(4));
        int[] a = Tokens(8, 3);
        var ta = new BlockTable(bm.Hasher.Root(null));
        bm.Allocate(ta, a);
        bm.MarkComputed(ta, a, 8);
        bm.Free(ta);
        Assert.Equal(4, bm.Allocate(new BlockTable(bm.Hasher.Root(null)), a));
    }

    [Fact]
    public void Free_CachedBlocks_KeptUntilEvictedLeastRecentlyUsedFirst()
    {
        var bm = new BlockManager(4, new BlockHasher(4));
        int[] a = Tokens(9, 4), b = Tokens(9, 5);
        var ta = new BlockTable(bm.Hasher.Root(null));
        bm.Allocate(ta, a);
        bm.MarkComputed(ta, a, 8);
        bm.Free(ta);                            // a's 2 full blocks cached, free
        Assert.Equal(4, bm.FreeBlocks);
        Assert.Equal(2, bm.CachedBlocks);
        var tb = new BlockTable(bm.Hasher.Root(null));
        bm.Allocate(tb, b);                     // 3 blocks: 2 uncached first, then evicts a's tail block
        Assert.Equal(1, bm.CachedBlocks);
        Assert.Equal(4, bm.CountCachedBlocks(a, bm.Hasher.Root(null)) * 4);
        bm.CheckInvariants();
    }

    [Fact]
    public void TryFork_PromptBlocks_SharedWithRefCounts()
    {
        var bm = new BlockManager(16, new BlockHasher(4));
        int[] prompt = Tokens(10, 6);
        var parent = new BlockTable(bm.Hasher.Root(null));
        bm.Allocate(parent, prompt);
        bm.MarkComputed(parent, prompt, 10);
        var child = new BlockTable(parent.RootHash);
        Assert.True(bm.TryFork(parent, child, 2, 11));
        Assert.Equal(2, bm.SharedBlocks);
        Assert.Equal(4, bm.UsedBlocks);
        bm.Free(child);
        bm.Free(parent);
        Assert.Equal(16, bm.FreeBlocks);
        Assert.Equal(0, bm.SharedBlocks);
        bm.CheckInvariants();
    }

    [Fact]
    public void CanAllocate_PoolTooSmall_FalseAndAllocateThrows()
    {
        var bm = new BlockManager(2, new BlockHasher(4));
        int[] a = Tokens(9, 7);
        Assert.False(bm.CanAllocate(a, bm.Hasher.Root(null)));
        var e = Assert.Throws<InvalidOperationException>(() => bm.Allocate(new BlockTable(0), a));
        Assert.Contains("3 needed, 2 free", e.Message);
    }

    [Fact]
    public void BlockHasher_SameInputs_SameChainAndSaltChangesRoot()
    {
        var h = new BlockHasher(4, "seed");
        int[] t = Tokens(12, 8);
        Assert.Equal(h.HashPrefix(t, "x"), new BlockHasher(4, "seed").HashPrefix(t, "x"));
        Assert.NotEqual(h.HashPrefix(t, "x")[0], h.HashPrefix(t, "y")[0]);
        Assert.NotEqual(h.HashPrefix(t, "x")[0], new BlockHasher(4, "other").HashPrefix(t, "x")[0]);
        ulong[] chain = h.HashPrefix(t, null);
        Assert.Equal(3, chain.Length);
        Assert.Equal(h.Hash(chain[0], t.AsSpan(4, 4)), chain[1]);
    }
}
