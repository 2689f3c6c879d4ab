using System.Runtime.InteropServices;
using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Tensors;

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
        float[] keys = new float[6];   // [kvHeads * headDim, blockSize]: position 2 is column 0 of block 1
        cache.ReadKeys(1, 1, 1, keys);
        Assert.Equal(new[] { 1f, 2f, 3f }, new[] { keys[0], keys[2], keys[4] });
        float[] values = new float[6];
        cache.ReadValues(1, 1, 1, values);
        Assert.Equal(new[] { 4f, 5f, 6f }, values.AsSpan(0, 3).ToArray());
        Assert.Equal(6 * sizeof(float), cache.KeyBytes(0, 1, 0).Length);
        Assert.Equal(2L * 2 * 2 * 3 * 4, PagedKvCache.BytesPerBlock(2, 2, 1, 3, KvCacheDType.F32));
        Assert.Equal(KvCacheDType.F32, cache.DType);
    }

    [Fact]
    public void Write_Bf16_StoresRoundedBitsInTheSameLayout()
    {
        var cache = new PagedKvCache(layers: 1, numBlocks: 3, blockSize: 2, kvHeads: 2, headDim: 2, maxSlots: 1, KvCacheDType.BF16);
        var table = new BlockTable(0);
        new BlockManager(3, new BlockHasher(2)).Allocate(table, [1, 2, 3]);
        cache.Bind(0, table);
        float[] k = [1f + 1f / 256, -3.14159f, float.NaN, -0f], v = [1e30f, 65504.7f, float.NegativeInfinity, 1e-40f];
        cache.Write(0, 0, 3, k, v);   // block 1, column 1
        ReadOnlySpan<ushort> keyBits = MemoryMarshal.Cast<byte, ushort>(cache.KeyBytes(0, 0, 1));     // [kvHeads * headDim, 2]
        ReadOnlySpan<ushort> valueBits = MemoryMarshal.Cast<byte, ushort>(cache.ValueBytes(0, 0, 1)); // [kvHeads, 2, headDim]
        Assert.Equal(8, keyBits.Length);
        Assert.Equal(k.Select(BFloat16.FromSingle).ToArray(), new[] { keyBits[1], keyBits[3], keyBits[5], keyBits[7] });
        Assert.Equal(v.Select(BFloat16.FromSingle).ToArray(), new[] { valueBits[2], valueBits[3], valueBits[6], valueBits[7] });
        float[] keys = new float[8];
        cache.ReadKeys(0, 0, 1, keys);
        Assert.Equal(1f, keys[1]);                  // tie rounded to even
        Assert.True(float.IsNaN(keys[5]));
        Assert.True(float.IsNegative(keys[7]) && keys[7] == 0f);
    }

    [Theory]
    [InlineData(KvCacheDType.F32)]
    [InlineData(KvCacheDType.BF16)]
    public void CopyBlock_EveryLayer_CopiesTheWholeBlockAndNothingElse(KvCacheDType dtype)
    {
        var cache = new PagedKvCache(layers: 2, numBlocks: 3, blockSize: 4, kvHeads: 2, headDim: 3, maxSlots: 2, dtype);
        var source = new BlockTable(0);
        var other = new BlockTable(1);
        var bm = new BlockManager(3, new BlockHasher(4));
        bm.Allocate(source, [1, 2, 3, 4]);
        bm.Allocate(other, [5, 6, 7, 8]);
        cache.Bind(0, source);
        cache.Bind(1, other);
        var rng = new Random(1);
        for (int l = 0; l < 2; l++)
        {
            for (int p = 0; p < 4; p++)
            {
                cache.Write(l, 0, p, Random6(rng), Random6(rng));
                cache.Write(l, 1, p, Random6(rng), Random6(rng));
            }
        }
        byte[][] otherBefore = [.. Enumerable.Range(0, 2).Select(l => cache.KeyBytes(l, 1, 0).ToArray())];
        int free = Enumerable.Range(0, 3).Single(b => b != source.BlockList[0] && b != other.BlockList[0]);
        cache.CopyBlock(source.BlockList[0], free);
        var copy = new BlockTable(0);
        copy.BlockList.Add(free);
        cache.Bind(0, copy);
        for (int l = 0; l < 2; l++)
        {
            cache.Bind(1, source);
            byte[] keys = cache.KeyBytes(l, 1, 0).ToArray(), values = cache.ValueBytes(l, 1, 0).ToArray();
            Assert.Equal(4 * 6 * dtype.ElementSize(), keys.Length);
            Assert.Equal(keys, cache.KeyBytes(l, 0, 0).ToArray());
            Assert.Equal(values, cache.ValueBytes(l, 0, 0).ToArray());
            cache.Bind(1, other);
            Assert.Equal(otherBefore[l], cache.KeyBytes(l, 1, 0).ToArray());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.CopyBlock(0, 3));
    }

    [Fact]
    public void BytesPerBlockAndBlocksForBudget_Bf16_HalfTheBytesTwiceTheBlocks()
    {
        long f32 = PagedKvCache.BytesPerBlock(6, 16, 2, 64, KvCacheDType.F32), bf16 = PagedKvCache.BytesPerBlock(6, 16, 2, 64, KvCacheDType.BF16);
        Assert.Equal(2L * 6 * 16 * 2 * 64 * 4, f32);
        Assert.Equal(f32 / 2, bf16);
        long budget = 1000 * f32 + 7;   // whole f32 blocks plus a remainder smaller than a bf16 block
        Assert.Equal(2 * PagedKvCache.BlocksForBudget(budget, 6, 16, 2, 64, KvCacheDType.F32), PagedKvCache.BlocksForBudget(budget, 6, 16, 2, 64, KvCacheDType.BF16));
        var cache = new PagedKvCache(6, 10, 16, 2, 64, 1, KvCacheDType.BF16);
        Assert.Equal(10 * bf16, cache.Bytes);
    }

    [Fact]
    public void Keys_UnboundSlotOrBlockOutsideTable_ClearErrors()
    {
        var cache = new PagedKvCache(1, 4, 2, 1, 2, 2);
        Assert.Contains("no block table", Assert.Throws<InvalidOperationException>(() => cache.KeyBytes(0, 0, 0).ToArray()).Message);
        cache.Bind(0, new BlockTable(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.KeyBytes(0, 0, 0).ToArray());
    }

    private static float[] Random6(Random rng) => [.. Enumerable.Range(0, 6).Select(_ => (float)(rng.NextDouble() * 4 - 2))];
}
