namespace LlmSuite.EngineBench;

/// <summary>The verb table of the benchmark console. Add a suite by adding one entry.</summary>
internal static class Verbs
{
    /// <summary>verb → (description, entry point taking the remaining arguments, returning the exit code).</summary>
    public static readonly IReadOnlyDictionary<string, (string Description, Func<string[], int> Run)> All =
        new Dictionary<string, (string, Func<string[], int>)>(StringComparer.OrdinalIgnoreCase)
        {
            ["kernels"] = ("memory bandwidth, F32 GEMM, F32/BF16/Q8_0 decode GEMV vs the bandwidth roofline", KernelBench.Run),
            ["decode"] = ("model-level single-sequence decode tok/s (F32, Q8_0) vs the roofline, prefill GFLOP/s, long-context batched decode step with an f32 vs bf16 KV cache (DecodeBenchmark)", DecodeBenchmark.Run),
            ["serve"] = ("serving: continuous vs sequential vs static batching, cached-prefix TTFT, paged KV memory (ServingBenchmark)", ServingBenchmark.Run),
        };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !All.TryGetValue(args[0], out var verb))
        {
            Console.Error.WriteLine("usage: EngineBench <verb> [options]");
            foreach (var (name, (description, _)) in All)
            {
                Console.Error.WriteLine($"  {name,-10} {description}");
            }
            return args.Length == 0 ? 0 : 2;
        }
        return verb.Run(args[1..]);
    }
}
