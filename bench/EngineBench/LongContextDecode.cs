using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;

namespace LlmSuite.EngineBench;

/// <summary>
/// Attention-heavy decode: one step of <c>sequences</c> sequences, each one token at position <c>context</c>, over a
/// contiguous cache filled with random K/V, f32 vs bf16 cache side by side on the same weights. At long context the
/// step reads more K/V bytes than weight bytes, so the ratio shows what the bf16 cache saves in attention.
/// </summary>
internal static class LongContextDecode
{
    public static void Run(string modelPath, int sequences, int context, int repetitions)
    {
        using var model = ModelLoader.Load(modelPath, new ModelLoadOptions { MaxContext = context + 16, MaxBatchTokens = sequences });
        ModelConfigInfo c = new(model.Config.NumLayers, model.Config.NumKvHeads, model.Config.HeadDim);
        Console.WriteLine();
        Console.WriteLine($"long-context batched decode: {sequences} sequences x 1 token at position {context} ({c.Layers} layers, {c.KvHeads} kv heads x {c.HeadDim}); median of {repetitions}");
        Console.WriteLine("kv dtype  KV MB/step  weight MB/step  ms/step  CPU ms/step  tok/s");
        double? f32Ms = null;
        foreach (KvCacheDType dtype in new[] { KvCacheDType.F32, KvCacheDType.BF16 })
        {
            var cache = model.CreateContiguousCache(sequences, context + 16, dtype);
            Fill(cache, c, sequences, context);
            var batch = new ForwardBatch(sequences, sequences);
            var logits = new float[(long)sequences * model.VocabSize]; // [sequences, vocab]
            int[] token = [1];
            var (wall, cpu) = Measure.Median(repetitions, () =>
            {
                batch.Clear();
                for (int s = 0; s < sequences; s++)
                {
                    batch.Add(s, token, context);
                }
                model.Forward(batch, cache, logits);
            });
            double kvBytes = 2.0 * c.Layers * sequences * (context + 1) * c.KvHeads * c.HeadDim * dtype.ElementSize();
            Console.WriteLine($"{dtype.Name(),-8}  {kvBytes / 1e6,10:F0}  {model.WeightBytes / 1e6,14:F0}  {wall * 1000,7:F1}  {cpu * 1000,11:F1}  {sequences / wall,5:F0}");
            f32Ms ??= wall;
            if (dtype == KvCacheDType.BF16)
            {
                Console.WriteLine($"bf16 / f32 step time: {wall / f32Ms.Value:F2}x");
            }
        }
    }

    /// <summary>Random K/V for positions [0, context) of every sequence (values of a typical post-RoPE magnitude).</summary>
    private static void Fill(ContiguousKvCache cache, ModelConfigInfo c, int sequences, int context)
    {
        var rng = new Random(5);
        var k = new float[c.KvHeads * c.HeadDim]; // [kvHeads * headDim]
        var v = new float[c.KvHeads * c.HeadDim]; // [kvHeads * headDim]
        for (int l = 0; l < c.Layers; l++)
        {
            for (int s = 0; s < sequences; s++)
            {
                for (int p = 0; p < context; p++)
                {
                    for (int i = 0; i < k.Length; i++)
                    {
                        k[i] = (float)(rng.NextDouble() * 2 - 1);
                        v[i] = (float)(rng.NextDouble() * 2 - 1);
                    }
                    cache.Write(l, s, p, k, v);
                }
            }
        }
    }

    private readonly record struct ModelConfigInfo(int Layers, int KvHeads, int HeadDim);
}
