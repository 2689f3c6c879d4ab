using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    /// <summary>Blocks whose combined scales are prepared together (512 values of k).</summary>
    private const int ScaleGroup = 16;

    [ThreadStatic]
    private static NativeBuffer? t_q8Scratch;

    private static unsafe void RunQ8_0(in Segments products, SimdWidth width)
    {
        Args args = products.First;
        int blocks = args.K / Q8_0.BlockSize;
        if (args.M >= GemmMinM && width != SimdWidth.Scalar)
        {
            var gemm = new Q8GemmJob(UsesQ8BroadcastGemm(args.M, width) ? products.WithPackedX(PackForBroadcast(args).XPacked) : products, width);
            WorkerPool.For(products.TotalItems, ref gemm, PanelRows / RowsPerItem);
            return;
        }
        long quantBytes = Align((long)args.M * args.K);
        long needed = quantBytes + (long)args.M * blocks * sizeof(float);
        NativeBuffer scratch = t_q8Scratch is { } s && s.Bytes >= needed ? s : GrowScratch(needed);
        sbyte* xq = (sbyte*)scratch.Pointer;
        float* xd = (float*)((byte*)scratch.Pointer + quantBytes);
        for (int i = 0; i < args.M; i++)
        {
            Q8Activations.QuantizeRow(args.X + (long)i * args.K, args.K, xq + (long)i * args.K, xd + (long)i * blocks, Simd.ForFloat(width));
        }
        var job = new Q8Job(products, xq, xd, width);
        WorkerPool.For(products.TotalItems, ref job, MinItemsPerChunk(args.K + blocks * 2));
    }

    private static long Align(long bytes) => (bytes + NativeBuffer.Alignment - 1) / NativeBuffer.Alignment * NativeBuffer.Alignment;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static NativeBuffer GrowScratch(long bytes)
    {
        t_q8Scratch?.Dispose();
        t_q8Scratch = new NativeBuffer(Math.Max(bytes, 1 << 16) * 2);
        return t_q8Scratch;
    }

    private readonly unsafe struct Q8Job(Segments products, sbyte* xq, float* xd, SimdWidth width) : IParallelJob, ISegmentRows
    {
        private readonly Segments _products = products;
        private readonly sbyte* _xq = xq;   // [m, k]
        private readonly float* _xd = xd;   // [m, k / 32]
        private readonly SimdWidth _width = width;

        public void Execute(int start, int end) => _products.ForEach(start, end, this);

        public void Run(in Args a, int n0, int n1) => Q8Rows(a, _xq, _xd, n0, n1, _width);
    }

    /// <summary>Rows [n0, n1) of y from Q8_0 weights and quantized activations on the chosen path.</summary>
    internal static unsafe void Q8Rows(in Args a, sbyte* xq /*[m, k]*/, float* xd /*[m, k/32]*/, int n0, int n1, SimdWidth width)
    {
        switch (width)
        {
            case SimdWidth.Vector512: Q8Rows<Q8x512, Vector512<float>, Vector512<short>>(a, xq, xd, n0, n1); break;
            case SimdWidth.AvxVnni: Q8Rows<Q8Vnni256, Vector256<float>, VnniBlock>(a, xq, xd, n0, n1); break;
            case SimdWidth.Vector256: Q8Rows<Q8x256, Vector256<float>, Short256x2>(a, xq, xd, n0, n1); break;
            case SimdWidth.Vector128: Q8Rows<Q8x128, Vector128<float>, Short128x4>(a, xq, xd, n0, n1); break;
            default: Q8Scalar(a, xq, xd, n0, n1); break;
        }
    }

    /// <summary>
    /// Four weight rows at a time (a missing tail row repeats the last one and is not stored); for each activation
    /// row the weight rows stay in L1 while k is walked in groups of 16 blocks whose combined scales
    /// d_w · d_x are prepared first; each block's exact int32 dot is scaled and accumulated in float. The first
    /// activation row prefetches the next tile's rows group by group (short model rows of 768 values otherwise stall
    /// on every new line before the hardware prefetcher ramps up).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Q8Rows<T, TV, TX>(in Args a, sbyte* xq, float* xd, int n0, int n1)
        where T : IQ8Lanes<TV, TX> where TV : struct where TX : struct
    {
        int blocks = a.K / Q8_0.BlockSize;
        float* sc = stackalloc float[4 * ScaleGroup]; // [row of tile, block of group]
        byte* w = (byte*)a.W;
        for (int j = n0; j < n1; j += 4)
        {
            int valid = Math.Min(4, n1 - j);
            int j1 = j + Math.Min(1, valid - 1), j2 = j + Math.Min(2, valid - 1), j3 = j + Math.Min(3, valid - 1);
            byte* w0 = w + (nint)j * a.K, w1 = w + (nint)j1 * a.K, w2 = w + (nint)j2 * a.K, w3 = w + (nint)j3 * a.K;
            ushort* s0 = a.Scales + (nint)j * blocks, s1 = a.Scales + (nint)j1 * blocks, s2 = a.Scales + (nint)j2 * blocks, s3 = a.Scales + (nint)j3 * blocks;
            for (int i = 0; i < a.M; i++)
            {
                sbyte* x = xq + (nint)i * a.K;
                float* dx = xd + (nint)i * blocks;
                TV c0 = T.Zero, c1 = T.Zero, c2 = T.Zero, c3 = T.Zero;
                for (int g = 0; g < blocks; g += ScaleGroup)
                {
                    int count = Math.Min(ScaleGroup, blocks - g);
                    if (i == 0)
                    {
                        // the same k range of the next tile's 4 rows: in memory before this tile reaches it
                        byte* next = w0 + 4 * (nint)a.K + (nint)g * Q8_0.BlockSize;
                        for (nint line = 0; line < count * Q8_0.BlockSize; line += 64)
                        {
                            Sse.Prefetch0(next + line);
                            Sse.Prefetch0(next + a.K + line);
                            Sse.Prefetch0(next + 2 * (nint)a.K + line);
                            Sse.Prefetch0(next + 3 * (nint)a.K + line);
                        }
                        Sse.Prefetch0(s0 + 4 * blocks + g);
                    }
                    CombineScales(s0 + g, dx + g, count, sc);
                    CombineScales(s1 + g, dx + g, count, sc + ScaleGroup);
                    CombineScales(s2 + g, dx + g, count, sc + 2 * ScaleGroup);
                    CombineScales(s3 + g, dx + g, count, sc + 3 * ScaleGroup);
                    for (int t = 0; t < count; t++)
                    {
                        nint off = (nint)(g + t) * Q8_0.BlockSize;
                        TX xv = T.LoadX(x + off);
                        c0 = T.FmaScalar(T.Dot(xv, w0 + off), sc[t], c0);
                        c1 = T.FmaScalar(T.Dot(xv, w1 + off), sc[ScaleGroup + t], c1);
                        c2 = T.FmaScalar(T.Dot(xv, w2 + off), sc[2 * ScaleGroup + t], c2);
                        c3 = T.FmaScalar(T.Dot(xv, w3 + off), sc[3 * ScaleGroup + t], c3);
                    }
                }
                float* y = a.Y + (nint)i * a.N + j;
                float* bias = a.Bias == null ? null : a.Bias + j;
                y[0] = T.Sum(c0) + (bias == null ? 0f : bias[0]);
                if (valid > 1)
                {
                    y[1] = T.Sum(c1) + (bias == null ? 0f : bias[1]);
                }
                if (valid > 2)
                {
                    y[2] = T.Sum(c2) + (bias == null ? 0f : bias[2]);
                }
                if (valid > 3)
                {
                    y[3] = T.Sum(c3) + (bias == null ? 0f : bias[3]);
                }
            }
        }
    }

    /// <summary>sc[t] = f32(ws[t]) · dx[t] for t &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CombineScales(ushort* ws, float* dx, int count, float* sc)
    {
        int t = 0;
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            for (; t + 8 <= count; t += 8)
            {
                (HalfVector.Load8(ws + t) * Vector256.Load(dx + t)).Store(sc + t);
            }
        }
        for (; t + 4 <= count; t += 4)
        {
            (HalfVector.Load4(ws + t) * Vector128.Load(dx + t)).Store(sc + t);
        }
        for (; t < count; t++)
        {
            sc[t] = HalfVector.Scalar(ws[t]) * dx[t];
        }
    }

    /// <summary>Scalar reference: rows [n0, n1) of y from Q8_0 weights and Q8 activations (int dot per block, then scales).</summary>
    internal static unsafe void Q8Scalar(in Args a, sbyte* xq /*[m, k]*/, float* xd /*[m, k/32]*/, int n0, int n1)
    {
        int blocks = a.K / Q8_0.BlockSize;
        byte* w = (byte*)a.W;
        for (int j = n0; j < n1; j++)
        {
            byte* wr = w + (long)j * a.K;
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
                        dot += (wr[c] - 128) * xr[c];
                    }
                    sum += dot * (HalfVector.Reference(ws[b]) * xs[b]);
                }
                a.Y[(long)i * a.N + j] = sum + (a.Bias != null ? a.Bias[j] : 0f);
            }
        }
    }
}
