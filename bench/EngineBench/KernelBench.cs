using LlmSuite.Engine.Tensors;

namespace LlmSuite.EngineBench;

/// <summary>
/// The "kernels" verb: measured read bandwidth, F32 GEMM (M=64, K=N=4096) GFLOP/s on 1 thread and on the pool,
/// and decode (M=1) GB/s over weight sets larger than 512 MiB (streamed from DRAM) as a ratio to the bandwidth.
/// Every figure is the median of several repetitions.
/// </summary>
internal static class KernelBench
{
    private const int Dim = 4096;

    public static int Run(string[] args)
    {
        // options: a repetition count and any of "bandwidth", "gemm", "decode" (default: all three)
        int reps = args.Select(a => int.TryParse(a, out int r) ? r : 0).FirstOrDefault(r => r > 0, 7);
        var sections = args.Where(a => !int.TryParse(a, out _)).Select(a => a.ToLowerInvariant()).ToHashSet();
        bool all = sections.Count == 0;
        Console.WriteLine($"threads: {WorkerPool.Threads}, repetitions: {reps} (median)");

        double bw1 = double.NaN, bwAll = double.NaN;
        if (all || sections.Contains("bandwidth") || sections.Contains("decode"))
        {
            (bw1, bwAll) = Bandwidth.Measure(1L << 30, reps);
            Console.WriteLine($"read bandwidth 1 GiB      1 thread {bw1,7:F1} GB/s   {WorkerPool.Threads} threads {bwAll,7:F1} GB/s");
        }
        if (all || sections.Contains("gemm"))
        {
            Gemm(reps);
        }
        if (all || sections.Contains("micro"))
        {
            Micro();
        }
        if (sections.Contains("shapes"))
        {
            ShapeBench.Run(reps, 1);
            ShapeBench.Run(reps, WorkerPool.Threads);
        }
        if (!all && !sections.Contains("decode"))
        {
            return 0;
        }
        Console.WriteLine();
        Console.WriteLine($"decode M=1 over > 512 MiB of {Dim}x{Dim} weights (roofline = {bwAll:F1} GB/s, {WorkerPool.Threads} threads)");
        Decode(WeightType.F32, 10, reps, bwAll, bw1);
        Decode(WeightType.BF16, 18, reps, bwAll, bw1);
        Decode(WeightType.Q8_0, 32, reps, bwAll, bw1);
        return 0;
    }

    private static void Gemm(int reps)
    {
        const int m = 64;
        float[] x = Data.Random(m * Dim, 1);
        float[] y = new float[m * Dim];
        using WeightMatrix w = WeightMatrix.FromF32(Data.Random(Dim * Dim, 2, 0.02f), Dim, Dim);
        double flop = 2.0 * m * Dim * Dim;
        int saved = WorkerPool.ActiveThreads;
        WorkerPool.ActiveThreads = 1;
        var (one, oneCpu) = Measure.Median(reps, () => MatMul.Forward(x, m, w, default, y));
        WorkerPool.ActiveThreads = saved;
        double all = Measure.MedianSeconds(reps, () => MatMul.Forward(x, m, w, default, y));
        Console.WriteLine($"GEMM F32  M={m} K=N={Dim}    1 thread {flop / one / 1e9,7:F1} GFLOP/s (per CPU-second {flop / oneCpu / 1e9:F1})   {WorkerPool.Threads} threads {flop / all / 1e9,7:F1} GFLOP/s ({flop / all / 1e9 / WorkerPool.Threads:F1} per core)");
        using WeightMatrix q = w.QuantizeQ8_0();
        WorkerPool.ActiveThreads = 1;
        var (q1, q1Cpu) = Measure.Median(reps, () => MatMul.Forward(x, m, q, default, y));
        WorkerPool.ActiveThreads = saved;
        double q8 = Measure.MedianSeconds(reps, () => MatMul.Forward(x, m, q, default, y));
        Console.WriteLine($"GEMM Q8_0 M={m} K=N={Dim}    1 thread {flop / q1 / 1e9,7:F1} GFLOP/s (per CPU-second {flop / q1Cpu / 1e9:F1})   {WorkerPool.Threads} threads {flop / q8 / 1e9,7:F1} GFLOP/s");
    }

    /// <summary>
    /// Cache-resident kernels on one thread, fastest of many short runs: the kernels' own speed even when other
    /// processes share the cores (the figures above are what a user sees at that moment).
    /// </summary>
    private static void Micro()
    {
        const int m = 64, n = 256;
        float[] x = Data.Random(m * Dim, 1);
        float[] y = new float[m * n];
        using WeightMatrix w = WeightMatrix.FromF32(Data.Random(n * Dim, 2, 0.02f), n, Dim);
        using WeightMatrix q = w.QuantizeQ8_0();
        using WeightMatrix b = Data.Matrix(WeightType.BF16, n, Dim, 4);
        int saved = WorkerPool.ActiveThreads;
        WorkerPool.ActiveThreads = 1;
        try
        {
            Console.WriteLine($"micro (1 thread, best of 200, W [{n}, {Dim}] cache-resident); FMA peak {Peak.GflopsOneThread():F1} GFLOP/s:");
            foreach (int rows in new[] { 64, 32, 24, 16, 8, 1 })
            {
                double flop = 2.0 * rows * n * Dim;
                double f = Measure.MinSeconds(200, () => MatMul.Forward(x.AsSpan(0, rows * Dim), rows, w, default, y.AsSpan(0, rows * n)));
                double h = Measure.MinSeconds(200, () => MatMul.Forward(x.AsSpan(0, rows * Dim), rows, b, default, y.AsSpan(0, rows * n)));
                double g = Measure.MinSeconds(200, () => MatMul.Forward(x.AsSpan(0, rows * Dim), rows, q, default, y.AsSpan(0, rows * n)));
                Console.WriteLine($"  M={rows,2}: F32 {flop / f / 1e9,6:F1} GFLOP/s ({w.ByteSize / f / 1e9,5:F1} GB/s)   BF16 {flop / h / 1e9,6:F1} GFLOP/s ({b.ByteSize / h / 1e9,5:F1} GB/s)   Q8_0 {flop / g / 1e9,6:F1} GFLOP/s ({q.ByteSize / g / 1e9,5:F1} GB/s)");
            }
        }
        finally
        {
            WorkerPool.ActiveThreads = saved;
        }
    }

    private static void Decode(WeightType type, int count, int reps, double roofline, double roofline1)
    {
        var set = new WeightMatrix[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                set[i] = Data.Matrix(type, Dim, Dim, 100 + i);
            }
            long bytes = set.Sum(w => w.ByteSize);
            float[] x = Data.Random(Dim, 3);
            float[] y = new float[Dim];
            void Pass()
            {
                foreach (var w in set)
                {
                    MatMul.Forward(x, 1, w, default, y);
                }
            }
            int saved = WorkerPool.ActiveThreads;
            WorkerPool.ActiveThreads = 1;
            var (one, oneCpu) = Measure.Median(reps, Pass);
            WorkerPool.ActiveThreads = saved;
            double all = Measure.MedianSeconds(reps, Pass);
            double gbOne = bytes / one / 1e9, gbAll = bytes / all / 1e9;
            Console.WriteLine($"  {type,-5} {count,2} x {bytes / count / (1 << 20),3} MiB = {bytes >> 20,4} MiB   1 thread {gbOne,6:F1} GB/s ({gbOne / roofline1,4:P0}; per CPU-second {bytes / oneCpu / 1e9:F1})   {WorkerPool.Threads} threads {gbAll,6:F1} GB/s ({gbAll / roofline,4:P0} of roofline)");
        }
        finally
        {
            foreach (var w in set)
            {
                w?.Dispose();
            }
        }
    }
}
