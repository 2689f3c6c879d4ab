using LlmSuite.Engine.Models;

namespace LlmSuite.Engine.Tests.Models;

public class ContiguousKvCacheTests
{
    [Fact]
    public void Write_ThenBlocks_ReturnRowsAtTheirPositions()
    {
        var cache = new ContiguousKvCache(layers: 2, maxSequences: 3, maxPositions: 10, kvHeads: 2, headDim: 4, blockSize: 4);
        Assert.Equal(4, cache.BlockSize);
        Assert.Equal(12, cache.MaxPositions);
        float[] k = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();
        float[] v = k.Select(x => -x).ToArray();
        cache.Write(1, 2, 5, k, v);
        float[] keys = cache.Keys(1, 2, 1).ToArray();   // positions 4..7, [kvHeads * headDim, 4]
        Assert.Equal(4 * 8, keys.Length);
        Assert.Equal(k, Enumerable.Range(0, 8).Select(i => keys[i * 4 + 1]).ToArray());   // position 5 is column 1 of block 1
        float[] values = cache.Values(1, 2, 1).ToArray();   // [kvHeads, 4, headDim]
        Assert.Equal(v, values.AsSpan(4, 4).ToArray().Concat(values.AsSpan(16 + 4, 4).ToArray()).ToArray());
        Assert.All(cache.Keys(0, 2, 1).ToArray(), x => Assert.Equal(0f, x));   // other layer untouched
    }

    [Fact]
    public void Write_OutOfRange_ThrowsWithLimits()
    {
        var cache = new ContiguousKvCache(1, 1, 8, 1, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => cache.Write(0, 1, 0, new float[2], new float[2]));
        Assert.Contains("sequence 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Write(0, 0, 8, new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => cache.Write(0, 0, 0, new float[3], new float[2]));
    }
}
