using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tensors;

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
        float[] keys = new float[4 * 8];   // positions 4..7, [kvHeads * headDim, 4]
        cache.ReadKeys(1, 2, 1, keys);
        Assert.Equal(4 * 8 * sizeof(float), cache.KeyBytes(1, 2, 1).Length);
        Assert.Equal(k, Enumerable.Range(0, 8).Select(i => keys[i * 4 + 1]).ToArray());   // position 5 is column 1 of block 1
        float[] values = new float[4 * 8];   // [kvHeads, 4, headDim]
        cache.ReadValues(1, 2, 1, values);
        Assert.Equal(v, values.AsSpan(4, 4).ToArray().Concat(values.AsSpan(16 + 4, 4).ToArray()).ToArray());
        Assert.All(cache.KeyBytes(0, 2, 1).ToArray(), x => Assert.Equal(0, x));   // other layer untouched
    }

    [Fact]
    public void Write_Bf16_ReadsBackRoundedValuesInHalfTheBytes()
    {
        var cache = new ContiguousKvCache(layers: 1, maxSequences: 2, maxPositions: 8, kvHeads: 2, headDim: 4, blockSize: 4, dtype: KvCacheDType.BF16);
        Assert.Equal(KvCacheDType.BF16, cache.DType);
        float[] k = Enumerable.Range(0, 8).Select(i => 1f + i / 100f).ToArray();
        float[] v = k.Select(x => -x * 3).ToArray();
        cache.Write(0, 1, 6, k, v);
        Assert.Equal(4 * 8 * sizeof(ushort), cache.KeyBytes(0, 1, 1).Length);
        float[] keys = new float[32], values = new float[32];
        cache.ReadKeys(0, 1, 1, keys);
        cache.ReadValues(0, 1, 1, values);
        Assert.Equal(k.Select(x => BFloat16.ToSingle(BFloat16.FromSingle(x))).ToArray(), Enumerable.Range(0, 8).Select(i => keys[i * 4 + 2]).ToArray());
        Assert.Equal(v.Select(x => BFloat16.ToSingle(BFloat16.FromSingle(x))).ToArray(), values.AsSpan(8, 4).ToArray().Concat(values.AsSpan(16 + 8, 4).ToArray()).ToArray());
        Assert.All(k.Zip(Enumerable.Range(0, 8).Select(i => keys[i * 4 + 2])), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, Math.Abs(p.First) / 256));
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
