using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    /// <summary>Weight rows of one dequantized panel.</summary>
    private const int PanelRows = 64;

    /// <summary>Row stride of a panel in floats: one k block plus a cache line, so the rows of a tile do not alias in L1.</summary>
    private const int PanelStride = KBlock + 16;

    [ThreadStatic]
    private static NativeBuffer? t_panel;

    /// <summary>
    /// Prefill (m ≥ GemmMinM) on Q8_0 weights: each PanelRows × KBlock block of W is dequantized once into an
    /// L2-resident f32 panel and multiplied with the f32 GEMM tiles, so the dequantization is amortized over m rows.
    /// x stays f32 here (decode quantizes x to Q8 for the int8 dot products), so prefill is slightly more exact.
    /// </summary>
    private readonly struct Q8GemmJob(Segments products, SimdWidth width) : IParallelJob, ISegmentRows
    {
        private readonly Segments _products = products;
        private readonly SimdWidth _width = width;

        public void Execute(int start, int end) => _products.ForEach(start, end, this);

        public void Run(in Args a, int n0, int n1) => Q8PanelRows(a, n0, n1, _width);
    }

    /// <summary>Rows [n0, n1) of y through dequantized panels on the chosen float width.</summary>
    internal static void Q8PanelRows(in Args a, int n0, int n1, SimdWidth width)
    {
        if (UsesQ8BroadcastGemm(a.M, width))
        {
            PanelBroadcastGemm(a, n0, n1, WeightType.Q8_0);
            return;
        }
        // the AVX-VNNI choice is about int8 dot products; the panel GEMM runs on the widest float path
        switch (width == SimdWidth.AvxVnni ? Simd.Best : width)
        {
            case SimdWidth.Vector512: Q8PanelRows<F32x512, Vector512<float>>(a, n0, n1); break;
            case SimdWidth.Vector256: Q8PanelRows<F32x256, Vector256<float>>(a, n0, n1); break;
            default: Q8PanelRows<F32x128, Vector128<float>>(a, n0, n1); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Q8PanelRows<T, TV>(in Args a, int n0, int n1) where T : IF32Lanes<TV> where TV : struct
    {
        t_panel ??= new NativeBuffer((long)PanelRows * PanelStride * sizeof(float));
        float* panel = (float*)t_panel.Pointer;
        nint k = a.K;
        for (int nb = n0; nb < n1; nb += PanelRows)
        {
            int nbEnd = Math.Min(n1, nb + PanelRows);
            for (nint c0 = 0; c0 < k; c0 += KBlock)
            {
                int c1 = (int)Math.Min(k, c0 + KBlock);
                Dequantize(a, nb, nbEnd, (int)c0, c1, panel);
                // weight row j, column c lives at panel[(j - nb) · PanelStride + (c - c0)]
                var span = Span<T, TV>(k, c0, PanelStride, -(nint)nb * PanelStride - c0);
                GemmKBlock<T, TV>(a, span, panel, nb, nbEnd);
            }
        }
    }

    /// <summary>Rows [r0, r1), columns [c0, c1) (multiples of 32) of Q8_0 weights to f32 into panel [rows, PanelStride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dequantize(in Args a, int r0, int r1, int c0, int c1, float* panel)
    {
        int blocksPerRow = a.K / Q8_0.BlockSize;
        for (int r = r0; r < r1; r++)
        {
            byte* q = (byte*)a.W + (nint)r * a.K;
            ushort* scales = a.Scales + (nint)r * blocksPerRow;
            float* dst = panel + (nint)(r - r0) * PanelStride - c0;
            for (int c = c0; c < c1; c += Q8_0.BlockSize)
            {
                float d = HalfVector.Scalar(scales[c / Q8_0.BlockSize]);
                var bias = Vector128.Create((byte)0x80); // offset binary back to int8
                if (Avx512F.IsSupported)
                {
                    var s = Vector512.Create(d);
                    (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32((Vector128.Load(q + c) ^ bias).AsSByte())) * s).Store(dst + c);
                    (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32((Vector128.Load(q + c + 16) ^ bias).AsSByte())) * s).Store(dst + c + 16);
                }
                else if (Avx2.IsSupported)
                {
                    var s = Vector256.Create(d);
                    for (int i = 0; i < Q8_0.BlockSize; i += 8)
                    {
                        var eight = Vector128.CreateScalar(*(ulong*)(q + c + i)).AsByte() ^ bias;
                        (Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(eight.AsSByte())) * s).Store(dst + c + i);
                    }
                }
                else
                {
                    for (int i = 0; i < Q8_0.BlockSize; i++)
                    {
                        dst[c + i] = d * (sbyte)(q[c + i] ^ 0x80);
                    }
                }
            }
        }
    }
}
