using System.Diagnostics;
using System.Numerics.Tensors;
using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.EngineBench;

/// <summary>
/// Model-level single-sequence speed next to the roofline: decode tokens/s in F32 and Q8_0 against
/// measured bandwidth ÷ weight bytes read per token, and prefill GFLOP/s. Default model: a seeded random ~90M
/// Llama; <c>--model PATH</c> benchmarks any model directory or .gguf instead. <c>--kv-cache-dtype f32|bf16</c> sets the
/// single-sequence runs' cache; then an attention-heavy step (<see cref="LongContextDecode"/>: --long-seqs N sequences
/// at position --long-context N, 0 skips) compares the f32 and bf16 caches side by side.
/// </summary>
internal static class DecodeBenchmark
{
    public static int Run(string[] args)
    {
        string? modelPath = null;
        int tokens = 64, prefillTokens = 256, repetitions = 3, longContext = 1024, longSequences = 64;
        KvCacheDType dtype = KvCacheDType.F32;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model": modelPath = args[++i]; break;
                case "--tokens": tokens = int.Parse(args[++i]); break;
                case "--prefill": prefillTokens = int.Parse(args[++i]); break;
                case "--reps": repetitions = int.Parse(args[++i]); break;
                case "--threads": WorkerPool.ActiveThreads = int.Parse(args[++i]); break;
                case "--kv-cache-dtype": dtype = KvCacheDTypes.Parse(args[++i], "--kv-cache-dtype") ?? KvCacheDType.F32; break;
                case "--long-context": longContext = int.Parse(args[++i]); break;
                case "--long-seqs": longSequences = int.Parse(args[++i]); break;
                default:
                    Console.Error.WriteLine($"decode: unknown option {args[i]} (--model PATH, --tokens N, --prefill N, --reps N, --threads N, --kv-cache-dtype f32|bf16, --long-context N, --long-seqs N)");
                    return 2;
            }
        }
        modelPath ??= SyntheticModel.Ensure(SyntheticModelShape.M90, seed: 1);

        var (bw1, bwAll) = Bandwidth.Measure(1L << 30, 3);
        Console.WriteLine($"read bandwidth: {bw1:F1} GB/s on 1 thread, {bwAll:F1} GB/s on {WorkerPool.Threads} threads");
        Console.WriteLine($"model: {modelPath}; single-sequence KV cache {dtype.Name()}");
        Console.WriteLine();
        Console.WriteLine("weights  MB/token  decode tok/s  roofline tok/s  % of roofline  prefill tok/s  prefill GFLOP/s  GFLOP/s per core");
        foreach (var quantize in new string?[] { null, "q8_0" })
        {
            using var model = ModelLoader.Load(modelPath, new ModelLoadOptions { Quantize = quantize, MaxContext = prefillTokens + tokens + 16, MaxBatchTokens = prefillTokens });
            double decode = DecodeTokensPerSecond(model, tokens, repetitions, dtype);
            double prefill = PrefillTokensPerSecond(model, prefillTokens, repetitions, dtype);
            double bytesPerToken = model.WeightBytes;
            double roofline = bwAll * 1e9 / bytesPerToken;
            double flopsPerToken = 2.0 * LinearParameters(model);
            double gflops = prefill * flopsPerToken / 1e9;
            Console.WriteLine($"{quantize ?? "f32",-7}  {bytesPerToken / 1e6,8:F1}  {decode,12:F1}  {roofline,14:F1}  {100 * decode / roofline,12:F0}%  {prefill,13:F1}  {gflops,15:F1}  {gflops / WorkerPool.Threads,16:F1}");
        }
        Console.WriteLine();
        Console.WriteLine("decode: one sequence, greedy, median of the per-run rate; roofline = all-thread read bandwidth / weight bytes read per token.");
        if (longContext > 0 && longSequences > 0)
        {
            LongContextDecode.Run(modelPath, longSequences, longContext, repetitions + 2);
        }
        return 0;
    }

    /// <summary>Weights in linear layers and the LM head (what the FLOP count of a token is made of).</summary>
    private static long LinearParameters(TransformerModel model)
    {
        static long Size(WeightMatrix w) => (long)w.Rows * w.Cols;
        return model.Weights.Layers.Sum(l => Size(l.Wq) + Size(l.Wk) + Size(l.Wv) + Size(l.Wo) + Size(l.Gate) + Size(l.Up) + Size(l.Down))
            + Size(model.Weights.LmHead);
    }

    private static double DecodeTokensPerSecond(TransformerModel model, int tokens, int repetitions, KvCacheDType dtype)
    {
        var cache = model.CreateContiguousCache(1, tokens + 16, dtype);
        var batch = new ForwardBatch(model.MaxBatchTokens, 1);
        var logits = new float[model.VocabSize]; // [1, vocab]
        int[] prompt = [1, 2, 3, 4, 5, 6, 7, 8];
        var rates = new List<double>();
        Span<int> one = stackalloc int[1];
        for (int r = 0; r < repetitions + 1; r++)
        {
            batch.Clear();
            batch.Add(0, prompt, 0);
            model.Forward(batch, cache, logits);
            var sw = Stopwatch.StartNew();
            for (int t = 0; t < tokens; t++)
            {
                one[0] = TensorPrimitives.IndexOfMax<float>(logits);
                batch.Clear();
                batch.Add(0, one, prompt.Length + t);
                model.Forward(batch, cache, logits);
            }
            if (r > 0)
            {
                rates.Add(tokens / sw.Elapsed.TotalSeconds); // the first run warms up the JIT and caches
            }
        }
        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static double PrefillTokensPerSecond(TransformerModel model, int tokens, int repetitions, KvCacheDType dtype)
    {
        var cache = model.CreateContiguousCache(1, tokens + 16, dtype);
        var batch = new ForwardBatch(model.MaxBatchTokens, 1);
        var logits = new float[model.VocabSize]; // [1, vocab]
        var prompt = Enumerable.Range(0, tokens).Select(i => (i * 7919) % model.VocabSize).ToArray();
        double seconds = Measure.MedianSeconds(repetitions + 1, () =>
        {
            batch.Clear();
            batch.Add(0, prompt, 0);
            model.Forward(batch, cache, logits);
        });
        return tokens / seconds;
    }
}
