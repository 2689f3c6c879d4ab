using System.Diagnostics;
using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Serving;

namespace LlmSuite.EngineBench;

/// <summary>
/// The "serve" verb: serving-level ratios from one run on a random-weight Llama (and models/default when it has
/// weights): (a) continuous batching vs one request at a time, (b) vs static batches of 8 that wait for their slowest
/// request, (c) TTFT with a cached 1,024-token prefix vs cold, (d) KV memory actually used vs a contiguous
/// max-length allocation per request.
/// Options: --model small|100m|&lt;dir&gt; (default small), --requests N (64), --sequential N / --static N (serve only the first N requests
/// that way; the rate stands for the workload; default all), --budget N (max-num-batched-tokens of every engine, 512),
/// --quantize q8_0, --seed S, --kv-cache-dtype auto|f32|bf16 (every engine's KV cache; auto follows the weights).
/// The one-at-a-time run also reports how its time splits into prefill and decode steps: continuous batching
/// computes the same prefill, so T(one at a time) / T(its prefill) bounds ratio (a) from above.
/// </summary>
internal static class ServingBenchmark
{
    private const int BlockSize = 16;
    private static int s_budget = 512;
    private static string s_kvDType = "auto";

    public static int Run(string[] args)
    {
        string model = Option(args, "--model") ?? "small";
        int requests = int.Parse(Option(args, "--requests") ?? "64");
        int seed = int.Parse(Option(args, "--seed") ?? "1");
        int sequential = int.Parse(Option(args, "--sequential") ?? requests.ToString());
        int staticCount = int.Parse(Option(args, "--static") ?? requests.ToString());
        string? quantize = Option(args, "--quantize");
        s_budget = int.Parse(Option(args, "--budget") ?? "512");
        s_kvDType = Option(args, "--kv-cache-dtype") ?? "auto";

        string dir = model switch
        {
            "small" => SyntheticModel.Ensure(SyntheticModelShape.M16, seed),
            "100m" => SyntheticModel.Ensure(SyntheticModelShape.M90, seed),
            _ => model,
        };
        if (!File.Exists(Path.Combine(dir, "config.json")) && !dir.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            Console.WriteLine($"{dir}: no model weights (config.json); skipped");
            return 1;
        }
        using TransformerModel m = ModelLoader.Load(dir, new ModelLoadOptions { MaxBatchTokens = Math.Max(512, s_budget), MaxContext = 2048, Quantize = quantize });
        KvCacheDType kvDType = KvCacheDTypes.Resolve(s_kvDType, m, "--kv-cache-dtype");
        Console.WriteLine($"model {dir}: {m.Config.NumLayers} layers, hidden {m.Config.HiddenSize}, vocab {m.VocabSize}, {m.WeightBytes / 1e6:F0} MB of matrix weights ({quantize ?? "as stored"}), context {m.MaxContext}; KV cache {kvDType.Name()}");
        // prompt 32-512 and output 16-256 tokens; a model with a shorter context gets both capped at half its context
        int maxPrompt = Math.Min(512, m.MaxContext / 2), maxOutput = Math.Min(256, m.MaxContext / 2 - 1);
        var workload = Workload(requests, seed, m.VocabSize, maxPrompt, maxOutput);
        long outputTokens = workload.Sum(r => (long)r.Sampling.MaxTokens!.Value);
        Console.WriteLine($"workload: {requests} requests, prompt 32-{maxPrompt}, output 16-{maxOutput} (seed {seed}): {workload.Sum(r => r.PromptTokenIds.Count)} prompt + {outputTokens} output tokens");

        // (a) continuous batching
        int peakBlocks = 0;
        string engineLine = "";
        var cont = Time(() => (peakBlocks, engineLine) = Continuous(m, workload));
        var (contRate, contCpuRate) = (outputTokens / cont.Wall, outputTokens / cont.Cpu);
        Console.WriteLine(engineLine);
        Console.WriteLine($"continuous batching: {cont.Wall:F1} s wall, {cont.Cpu:F1} s CPU: {contRate:F1} output tok/s ({contCpuRate:F1} per CPU-second)");

        // one at a time (optionally a sample: its rate stands for the whole workload)
        var seqSubset = workload.Take(sequential).ToList();
        var split = new StepSplit();
        var seq = Time(() => Batches(m, seqSubset, 1, split));
        long seqTokens = seqSubset.Sum(r => (long)r.Sampling.MaxTokens!.Value);
        var (seqRate, seqCpuRate) = (seqTokens / seq.Wall, seqTokens / seq.Cpu);
        Console.WriteLine($"one at a time ({seqSubset.Count} requests{(seqSubset.Count < requests ? ", rate of a sample" : "")}): {seq.Wall:F1} s wall, {seq.Cpu:F1} s CPU: {seqRate:F1} output tok/s ({seqCpuRate:F1} per CPU-second)");
        double prefillShare = split.Prefill / (split.Prefill + split.Decode);
        Console.WriteLine($"one at a time, wall split: prefill steps {split.Prefill:F1} s ({prefillShare:P0}), decode steps {split.Decode:F1} s ({split.DecodeSteps} steps, {split.Decode / Math.Max(1, split.DecodeSteps) * 1000:F2} ms each); ceiling of (a) with the same prefill cost: {1 / prefillShare:F1}x");

        // (b) static batches of 8
        var staticSubset = workload.Take(staticCount).ToList();
        var stat = Time(() => Batches(m, staticSubset, 8, null));
        long staticTokens = staticSubset.Sum(r => (long)r.Sampling.MaxTokens!.Value);
        var (staticRate, staticCpuRate) = (staticTokens / stat.Wall, staticTokens / stat.Cpu);
        Console.WriteLine($"static batches of 8 ({staticSubset.Count} requests{(staticSubset.Count < requests ? ", rate of a sample" : "")}): {stat.Wall:F1} s wall, {stat.Cpu:F1} s CPU: {staticRate:F1} output tok/s ({staticCpuRate:F1} per CPU-second)");

        // (c) TTFT cached prefix vs cold
        var (cold, warm, prefixLength) = Ttft(m, seed);

        // (d) KV memory
        long blockBytes = PagedKvCache.BytesPerBlock(m.Config.NumLayers, BlockSize, m.Config.NumKvHeads, m.Config.HeadDim, kvDType);
        long paged = peakBlocks * blockBytes;
        long contiguous = (long)requests * m.MaxContext * (blockBytes / BlockSize);
        long contiguousExact = workload.Sum(r => (long)(r.PromptTokenIds.Count + r.Sampling.MaxTokens!.Value)) * (blockBytes / BlockSize);

        Console.WriteLine();
        Console.WriteLine("| measure | wall-clock | per CPU-second | target |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| (a) continuous / one-at-a-time output tok/s | {contRate / seqRate:F1}x ({contRate:F1} vs {seqRate:F1}) | {contCpuRate / seqCpuRate:F1}x ({contCpuRate:F1} vs {seqCpuRate:F1}) | >= 8x |");
        Console.WriteLine($"| (b) continuous / static batch 8 output tok/s | {contRate / staticRate:F2}x ({contRate:F1} vs {staticRate:F1}) | {contCpuRate / staticCpuRate:F2}x ({contCpuRate:F1} vs {staticCpuRate:F1}) | >= 2x |");
        Console.WriteLine($"| (c) TTFT cold / cached {prefixLength}-token prefix (median of 3) | {cold / warm:F1}x ({cold * 1000:F0} ms vs {warm * 1000:F0} ms) | | >= 5x |");
        Console.WriteLine($"| (d) KV used (peak, paged, {kvDType.Name()}) / contiguous {m.MaxContext}-token slots x {requests} | {(double)paged / contiguous:P1} ({paged / 1e6:F0} MB vs {contiguous / 1e6:F0} MB; exact prompt+max_tokens per request: {contiguousExact / 1e6:F0} MB) | | less |");
        return 0;
    }

    private static List<EngineRequest> Workload(int count, int seed, int vocab, int maxPrompt, int maxOutput)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new EngineRequest
        {
            RequestId = $"bench-{i}",
            PromptTokenIds = Enumerable.Range(0, rng.Next(32, maxPrompt + 1)).Select(_ => rng.Next(3, vocab)).ToArray(),
            Sampling = new SamplingParams { Temperature = 0f, MaxTokens = rng.Next(16, maxOutput + 1), IgnoreEos = true },
        }).ToList();
    }

    private static EngineOptions Options(int maxSeqs, bool prefixCaching, int blocks) => new()
    {
        ModelName = "bench",
        BlockSize = BlockSize,
        NumBlocks = blocks,
        MaxNumSeqs = maxSeqs,
        MaxNumBatchedTokens = s_budget,
        EnablePrefixCaching = prefixCaching,
        KvCacheDType = s_kvDType,
    };

    private static (int PeakBlocks, string Describe) Continuous(TransformerModel m, List<EngineRequest> workload)
    {
        int blocks = workload.Sum(r => (r.PromptTokenIds.Count + r.Sampling.MaxTokens!.Value) / BlockSize + 1);
        using var engine = new LlmEngine(m, null, Options(64, false, blocks));
        foreach (EngineRequest r in workload)
        {
            engine.AddRequest(r);
        }
        int peak = 0;
        while (engine.HasWork)
        {
            engine.Step();
            peak = Math.Max(peak, engine.BlockManager.UsedBlocks);
        }
        return (peak, engine.Describe());
    }

    /// <summary>Wall seconds of steps that computed prompt tokens vs steps that only decoded.</summary>
    private sealed class StepSplit
    {
        public double Prefill, Decode;
        public int DecodeSteps;
    }

    /// <summary>Serves the workload in groups of <paramref name="size"/>: a group starts when the previous one fully finished.</summary>
    private static void Batches(TransformerModel m, List<EngineRequest> workload, int size, StepSplit? split)
    {
        int blocks = size * ((512 + 256) / BlockSize + 2);   // room for the group's longest possible requests
        using var engine = new LlmEngine(m, null, Options(size, false, blocks));
        for (int i = 0; i < workload.Count; i += size)
        {
            foreach (EngineRequest r in workload.Skip(i).Take(size))
            {
                engine.AddRequest(r);
            }
            while (engine.HasWork)
            {
                bool prefill = engine.Scheduler.Waiting.Count > 0 || engine.Scheduler.Running.Any(s => s.NumComputedTokens < s.PromptLength);
                long start = Stopwatch.GetTimestamp();
                engine.Step();
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (split is null)
                {
                    continue;
                }
                if (prefill)
                {
                    split.Prefill += seconds;
                }
                else
                {
                    split.Decode += seconds;
                    split.DecodeSteps++;
                }
            }
        }
    }

    private static (double Cold, double Warm, int PrefixLength) Ttft(TransformerModel m, int seed)
    {
        var rng = new Random(seed + 7);
        var colds = new List<double>();
        var warms = new List<double>();
        using var engine = new LlmEngine(m, null, Options(8, true, 1024));
        int prefixLength = Math.Min(1024, (m.MaxContext - 64) / BlockSize * BlockSize);
        for (int round = 0; round < 3; round++)
        {
            int[] prefix = Enumerable.Range(0, prefixLength).Select(_ => rng.Next(3, m.VocabSize)).ToArray();
            double First(string id)
            {
                int[] prompt = [.. prefix, .. Enumerable.Range(0, 32).Select(_ => rng.Next(3, m.VocabSize))];
                engine.AddRequest(new EngineRequest { RequestId = id, PromptTokenIds = prompt, Sampling = new SamplingParams { Temperature = 0f, MaxTokens = 1, IgnoreEos = true } });
                long start = Stopwatch.GetTimestamp();
                double ttft = 0;
                while (engine.HasWork)
                {
                    if (engine.Step().Any(o => o.RequestId == id && o.TokenIds.Count > 0) && ttft == 0)
                    {
                        ttft = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    }
                }
                return ttft;
            }
            colds.Add(First($"cold-{round}"));
            long hits = engine.BlockManager.PrefixCacheHits;
            warms.Add(First($"warm-{round}"));
            if (engine.BlockManager.PrefixCacheHits - hits < prefixLength)
            {
                Console.WriteLine($"warning: warm request hit only {engine.BlockManager.PrefixCacheHits - hits} cached tokens");
            }
        }
        colds.Sort();
        warms.Sort();
        Console.WriteLine($"TTFT {prefixLength + 32}-token prompt: cold {string.Join(", ", colds.Select(c => $"{c * 1000:F0}"))} ms; {prefixLength} cached {string.Join(", ", warms.Select(c => $"{c * 1000:F0}"))} ms");
        return (colds[1], warms[1], prefixLength);
    }

    /// <summary>Wall and process CPU seconds of <paramref name="action"/> (the machine is shared: CPU time shows the work done).</summary>
    private static (double Wall, double Cpu) Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan cpu0 = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
