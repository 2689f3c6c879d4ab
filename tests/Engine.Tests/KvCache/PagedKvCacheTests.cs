using LlmSuite.Engine.KvCache;

namespace LlmSuite.Engine.Tests.KvCache;

public class PagedKvCacheTests
{
    [Fact]
    public void Write_ThroughBlockTable_ReadBackFromPhysicalBlock()
    {
        var cache = new PagedKvCache(layers: 2, numBlocks: 4, blockSize: 2, kvHeads: 1, headDim: 3, maxSlots: 2);
        var bm = new BlockManager(4, new BlockHasher(2));
        var table = new BlockTable(0);
        bm.Allocate(table, [1, 2, 3]);          // 2 blocks
        cache.Bind(1, table);
        cache.Write(1, 1, 2, [1f, 2f, 3f], [4f, 5f, 6f]);
        float[] keys = cache.Keys(1, 1, 1).ToArray();   // [kvHeads * headDim, blockSize]: position 2 is column 0 of block 1
        Assert.Equal(new[] { 1f, 2f, 3f }, new[] { keys[0], keys[2], keys[4] });
        Assert.Equal(new[] { 4f, 5f, 6f }, cache.Values(1, 1, 1).Slice(0, 3).ToArray());
        Assert.Equal(6, cache.Keys(0, 1, 0).Length);
        Assert.Equal(2L * 2 * 2 * 3 * 4, PagedKvCache.BytesPerBlock(2, 2, 1, 3));
    }

    [Fact]
    public void Keys_UnboundSlotOrBlockOutsideTable_ClearErrors()
    {
        var cache = new PagedKvCache(1, 4, 2, 1, 2, 2);
        Assert.Contains("no block table", Assert.Throws<InvalidOperationException>(() => cache.Keys(0, 0, 0).ToArray()).Message);
        cache.Bind(0, new BlockTable(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Keys(0, 0, 0).ToArray());
    }
}
