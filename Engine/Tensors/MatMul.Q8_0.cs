namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    [ThreadStatic]
    private static NativeBuffer? t_q8Scratch;

    private static unsafe void RunQ8_0(ref Args args)
    {
        int blocks = args.K / Q8_0.BlockSize;
        long quantBytes = Align((long)args.M * args.K);
        long needed = quantBytes + (long)args.M * blocks * sizeof(float);
        NativeBuffer scratch = t_q8Scratch is { } s && s.Bytes >= needed ? s : GrowScratch(needed);
        sbyte* xq = (sbyte*)scratch.Pointer;
        float* xd = (float*)((byte*)scratch.Pointer + quantBytes);
        for (int i = 0; i < args.M; i++)
        {
            Q8Activations.QuantizeRowScalar(args.X + (long)i * args.K, args.K, xq + (long)i * args.K, xd + (long)i * blocks);
        }
        var job = new Q8Job(args, xq, xd);
        WorkerPool.For(Items(args.N), ref job, MinItemsPerChunk(args.K + blocks * 2));
    }

    private static long Align(long bytes) => (bytes + NativeBuffer.Alignment - 1) / NativeBuffer.Alignment * NativeBuffer.Alignment;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static NativeBuffer GrowScratch(long bytes)
    {
        t_q8Scratch?.Dispose();
        t_q8Scratch = new NativeBuffer(Math.Max(bytes, 1 << 16) * 2);
        return t_q8Scratch;
    }

    private readonly unsafe struct Q8Job(Args args, sbyte* xq, float* xd) : IParallelJob
    {
        private readonly Args _a = args;
        private readonly sbyte* _xq = xq;   // [m, k]
        private readonly float* _xd = xd;   // [m, k / 32]

        public void Execute(int start, int end)
        {
            int n0 = start * RowsPerItem, n1 = Math.Min(_a.N, end * RowsPerItem);
            Q8Scalar(_a, _xq, _xd, n0, n1);
        }
    }

    /// <summary>Scalar reference: rows [n0, n1) of y from Q8_0 weights and Q8 activations (int dot per block, then scales).</summary>
    internal static unsafe void Q8Scalar(in Args a, sbyte* xq /*[m, k]*/, float* xd /*[m, k/32]*/, int n0, int n1)
    {
        int blocks = a.K / Q8_0.BlockSize;
        sbyte* w = (sbyte*)a.W;
        for (int j = n0; j < n1; j++)
        {
            sbyte* wr = w + (long)j * a.K;
            ushort* ws = a.Scales + (long)j * blocks;
            for (int i = 0; i < a.M; i++)
            {
                sbyte* xr = xq + (long)i * a.K;
                float* xs = xd + (long)i * blocks;
                float sum = 0f;
                for (int b = 0; b < blocks; b++)
                {
                    int dot = 0;
                    for (int c = b * Q8_0.BlockSize; c < (b + 1) * Q8_0.BlockSize; c++)
                    {
                        dot += wr[c] * xr[c];
                    }
                    sum += dot * ((float)BitConverter.UInt16BitsToHalf(ws[b]) * xs[b]);
                }
                a.Y[(long)i * a.N + j] = sum + (a.Bias != null ? a.Bias[j] : 0f);
            }
        }
    }
}
