using System.Diagnostics;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.EngineBench;

/// <summary>
/// The "kernels shapes" section: decode (M=1) on the matrix shapes of a small model (hidden 768, FFN 3072) and of the
/// bundled default model (hidden 384, FFN 1024, whose short rows depend on the next-tile prefetch), each call
/// timed alone over a set of matrices larger than the caches, so per-call costs (dispatch, ramp-up) show next to
/// the big-matrix figure. Prints the median and fastest call as GB/s.
/// </summary>
internal static class ShapeBench
{
    public static void Run(int reps, int threads)
    {
        int saved = WorkerPool.ActiveThreads;
        WorkerPool.ActiveThreads = threads;
        Console.WriteLine($"decode M=1 per call on model shapes ({WorkerPool.ActiveThreads} threads, set > 256 MiB, median / fastest call):");
        foreach (var type in new[] { WeightType.F32, WeightType.Q8_0 })
        {
            foreach (var (rows, cols) in new[] { (384, 384), (1024, 384), (384, 1024), (768, 768), (3072, 768), (768, 3072), (4096, 4096) })
            {
                long bytesEach = type == WeightType.F32 ? (long)rows * cols * 4 : (long)rows * cols * 34 / 32;
                int count = (int)Math.Max(4, (256L << 20) / bytesEach);
                var set = new WeightMatrix[count];
                for (int i = 0; i < count; i++)
                {
                    set[i] = Data.Matrix(type, rows, cols, 300 + i);
                }
                float[] x = Data.Random(cols, 1);
                float[] y = new float[rows];
                var times = new List<double>();
                for (int r = 0; r < reps; r++)
                {
                    foreach (WeightMatrix w in set)
                    {
                        long start = Stopwatch.GetTimestamp();
                        MatMul.Forward(x, 1, w, default, y);
                        times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                    }
                }
                times.Sort();
                double median = times[times.Count / 2], best = times[0];
                Console.WriteLine($"  {type,-5} [{rows,4}, {cols,4}] {bytesEach / 1e6,6:F2} MB   median {median * 1e6,7:F1} us {bytesEach / median / 1e9,5:F1} GB/s   fastest {best * 1e6,7:F1} us {bytesEach / best / 1e9,5:F1} GB/s");
                foreach (WeightMatrix w in set)
                {
                    w.Dispose();
                }
            }
        }
        WorkerPool.ActiveThreads = saved;
    }
}
