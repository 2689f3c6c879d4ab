using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>
/// The tiled attention kernel on both cache element types: a mixed batch (a decode, a prefill from 0, a chunk in the
/// middle) gives bit-identical rows to each span run alone, and matches a double-precision reference over the widened
/// cache (so bf16 changes only what is stored, never how it is computed).
/// </summary>
public class CausalAttentionTests
{
    private const int Heads = 6, KvHeads = 2, Positions = 200;

    // (sequence, first position, tokens): a decode step, a whole prompt, a chunk of a longer prompt
    // with 16-position blocks the softmax runs over groups of 4 blocks (64 positions): a decode token two groups in, a
    // prefill inside the first group, and a chunk whose row passes straddle the groups at 64 and 128
    private static readonly (int Sequence, int Start, int Length)[] Spans = [(0, 137, 1), (1, 0, 20), (2, 60, 75)];

    [Theory]
    [InlineData(KvCacheDType.F32, 16, 64)]
    [InlineData(KvCacheDType.BF16, 16, 64)]
    [InlineData(KvCacheDType.BF16, 5, 40)]    // partial 16-lane score tiles and a scalar head-dim tail
    [InlineData(KvCacheDType.F32, 5, 40)]
    [InlineData(KvCacheDType.BF16, 256, 72)]  // one block holds the whole context
    public void Forward_MixedBatch_EqualsEachSpanAloneExactlyAndTheReference(KvCacheDType dtype, int blockSize, int headDim)
    {
        var cache = new ContiguousKvCache(1, Spans.Length, Positions, KvHeads, headDim, blockSize, dtype);
        var rng = new Random(blockSize * 100 + headDim);
        float[] k = new float[KvHeads * headDim], v = new float[KvHeads * headDim];   // [kvHeads * headDim]
        for (int s = 0; s < Spans.Length; s++)
        {
            for (int p = 0; p < Positions; p++)
            {
                Fill(rng, k, 2);
                Fill(rng, v, 1);
                cache.Write(0, s, p, k, v);
            }
        }
        int T = Spans.Sum(s => s.Length), row = Heads * headDim;
        float[] q = new float[T * row];   // [T, h, e]
        Fill(rng, q, 2);
        using var attention = new CausalAttention(Heads, KvHeads, headDim, maxTokens: 128);
        var batch = new ForwardBatch(128, 4);
        foreach (var (sequence, start, length) in Spans)
        {
            batch.Add(sequence, new int[length], start);
        }
        float[] mixed = new float[T * row];   // [T, h, e]
        attention.Plan(batch);
        attention.Forward(q, cache, 0, mixed);

        int t0 = 0;
        foreach (var (sequence, start, length) in Spans)
        {
            batch.Clear();
            batch.Add(sequence, new int[length], start);
            float[] qAlone = q.AsSpan(t0 * row, length * row).ToArray(), alone = new float[length * row];
            attention.Plan(batch);
            attention.Forward(qAlone, cache, 0, alone);
            Assert.Equal(Bits(alone), Bits(mixed.AsSpan(t0 * row, length * row).ToArray()));

            double[] reference = Reference(cache, sequence, start, length, qAlone, headDim);
            for (int i = 0; i < reference.Length; i++)
            {
                Assert.True(Math.Abs(reference[i] - alone[i]) <= 1e-5, $"{dtype}: sequence {sequence} element {i}: {alone[i]} vs reference {reference[i]}");
            }
            t0 += length;
        }
    }

    [Theory]
    [InlineData(16, 64, 0)]
    [InlineData(5, 40, 0)]
    [InlineData(16, 64, 2200)]   // the chunk's blocks exceed the widening scratch: read directly
    public void Forward_Bf16Cache_BitIdenticalToF32CacheHoldingTheSameRoundedValues(int blockSize, int headDim, int offset)
    {
        // decode rows read bf16 blocks directly; prefill tiles widen them once into scratch (up to its size): every
        // path must equal the f32 kernel on the same values
        int positions = Positions + offset;
        (int Sequence, int Start, int Length)[] spans = [.. Spans.Select(s => s.Start == 0 ? s : (s.Sequence, s.Start + offset, s.Length))];
        var bf16 = new ContiguousKvCache(1, spans.Length, positions, KvHeads, headDim, blockSize, KvCacheDType.BF16);
        var f32 = new ContiguousKvCache(1, spans.Length, positions, KvHeads, headDim, blockSize, KvCacheDType.F32);
        var rng = new Random(7);
        float[] k = new float[KvHeads * headDim], v = new float[KvHeads * headDim];   // [kvHeads * headDim]
        for (int s = 0; s < spans.Length; s++)
        {
            for (int p = 0; p < positions; p++)
            {
                Fill(rng, k, 2);
                Fill(rng, v, 1);
                bf16.Write(0, s, p, k, v);
                f32.Write(0, s, p, Rounded(k), Rounded(v));
            }
        }
        int T = spans.Sum(s => s.Length), row = Heads * headDim;
        float[] q = new float[T * row];   // [T, h, e]
        Fill(rng, q, 2);
        using var attention = new CausalAttention(Heads, KvHeads, headDim, maxTokens: 128);
        var batch = new ForwardBatch(128, 4);
        foreach (var (sequence, start, length) in spans)
        {
            batch.Add(sequence, new int[length], start);
        }
        float[] fromBf16 = new float[T * row], fromF32 = new float[T * row];   // [T, h, e]
        attention.Plan(batch);
        attention.Forward(q, bf16, 0, fromBf16);
        attention.Forward(q, f32, 0, fromF32);
        Assert.Equal(Bits(fromF32), Bits(fromBf16));
    }

    private static float[] Rounded(float[] x) => [.. x.Select(a => BFloat16.ToSingle(BFloat16.FromSingle(a)))];

    /// <summary>softmax(q·kᵀ/√e)·v in double over the cache's widened K/V (positions [0, pos] of each token).</summary>
    private static double[] Reference(ContiguousKvCache cache, int sequence, int start, int length, float[] q /*[length, h, e]*/, int e)
    {
        int B = cache.BlockSize, blocks = (start + length + B - 1) / B, group = Heads / KvHeads;
        float[] keys = new float[blocks * KvHeads * e * B], values = new float[blocks * KvHeads * B * e];   // per block [g, e, B] / [g, B, e]
        for (int b = 0; b < blocks; b++)
        {
            cache.ReadKeys(0, sequence, b, keys.AsSpan(b * KvHeads * e * B, KvHeads * e * B));
            cache.ReadValues(0, sequence, b, values.AsSpan(b * KvHeads * B * e, KvHeads * B * e));
        }
        double K(int p, int kh, int d) => keys[(p / B) * KvHeads * e * B + (kh * e + d) * B + p % B];
        double V(int p, int kh, int d) => values[(p / B) * KvHeads * B * e + (kh * B + p % B) * e + d];
        var output = new double[length * Heads * e];
        for (int t = 0; t < length; t++)
        {
            int pos = start + t;
            for (int h = 0; h < Heads; h++)
            {
                int kh = h / group;
                var scores = new double[pos + 1];
                for (int p = 0; p <= pos; p++)
                {
                    double dot = 0;
                    for (int d = 0; d < e; d++)
                    {
                        dot += q[(t * Heads + h) * e + d] * K(p, kh, d);
                    }
                    scores[p] = dot / Math.Sqrt(e);
                }
                double max = scores.Max(), sum = scores.Sum(x => Math.Exp(x - max));
                for (int d = 0; d < e; d++)
                {
                    double acc = 0;
                    for (int p = 0; p <= pos; p++)
                    {
                        acc += Math.Exp(scores[p] - max) / sum * V(p, kh, d);
                    }
                    output[(t * Heads + h) * e + d] = acc;
                }
            }
        }
        return output;
    }

    private static void Fill(Random rng, float[] x, double scale)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        }
    }

    private static uint[] Bits(float[] x) => [.. x.Select(BitConverter.SingleToUInt32Bits)];
}
