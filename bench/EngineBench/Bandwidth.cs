using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.EngineBench;

/// <summary>Read bandwidth: Vector512 sum over a 1 GiB buffer on 1 thread and on the whole worker pool.</summary>
internal static unsafe class Bandwidth
{
    private const int SliceBytes = 1 << 20;

    /// <summary>Returns GB/s (1e9 bytes) on 1 thread and on <see cref="WorkerPool.Threads"/>.</summary>
    public static (double OneThread, double AllThreads) Measure(long bytes, int repetitions)
    {
        byte* buffer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        try
        {
            new Span<byte>(buffer, 1).Clear();
            for (long i = 0; i < bytes; i += SliceBytes)
            {
                new Span<byte>(buffer + i, (int)Math.Min(SliceBytes, bytes - i)).Fill(1);
            }
            var job = new ReadJob(buffer);
            int slices = (int)(bytes / SliceBytes);
            int saved = WorkerPool.ActiveThreads;
            WorkerPool.ActiveThreads = 1;
            double one = EngineBench.Measure.MedianSeconds(repetitions, () => WorkerPool.For(slices, ref job, 8));
            WorkerPool.ActiveThreads = saved;
            double all = EngineBench.Measure.MedianSeconds(repetitions, () => WorkerPool.For(slices, ref job, 8));
            return (bytes / one / 1e9, bytes / all / 1e9);
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    private readonly struct ReadJob(byte* buffer) : IParallelJob
    {
        private readonly byte* _buffer = buffer;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // measure optimized code from the first call
        public void Execute(int start, int end)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            var a2 = Vector512<float>.Zero;
            var a3 = Vector512<float>.Zero;
            float* p = (float*)(_buffer + (long)start * SliceBytes);
            float* e = (float*)(_buffer + (long)end * SliceBytes);
            for (; p < e; p += 64)
            {
                a0 += Vector512.Load(p);
                a1 += Vector512.Load(p + 16);
                a2 += Vector512.Load(p + 32);
                a3 += Vector512.Load(p + 48);
            }
            s_sink = Vector512.Sum(a0 + a1 + a2 + a3);
        }
    }

    private static float s_sink;
}
