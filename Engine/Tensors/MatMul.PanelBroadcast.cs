using System.Runtime.CompilerServices;

namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    /// <summary>Whether Q8_0 prefill on this width takes the panel broadcast GEMM (the float width behind AVX-VNNI is the widest).</summary>
    internal static bool UsesQ8BroadcastGemm(int m, SimdWidth width)
        => UsesBroadcastGemm(m, width == SimdWidth.AvxVnni ? Simd.Best : width);

    /// <summary>
    /// Prefill on BF16 or Q8_0 weights with Vector512 (m ≥ BroadcastGemmMinM): each PanelRows × KBlock block of W is
    /// converted once to an L2-resident f32 panel [rows, PanelStride] and multiplied against the packed xᵀ by the
    /// broadcast kernel of the F32 path, so the conversion is amortized over m rows and the compute is the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void PanelBroadcastGemm(in Args a, int n0, int n1, WeightType type)
    {
        Args p = a.XPacked != null ? a : PackForBroadcast(a);
        float* yT = BroadcastScratch(a.M, PanelRows, out nint mPad);
        t_panel ??= new NativeBuffer((long)PanelRows * PanelStride * sizeof(float));
        float* panel = (float*)t_panel.Pointer;
        for (int nb = n0; nb < n1; nb += PanelRows)
        {
            int rows = Math.Min(n1, nb + PanelRows) - nb;
            for (int c0 = 0; c0 < a.K; c0 += KBlock)
            {
                int c1 = Math.Min(a.K, c0 + KBlock);
                // weight row nb + r, column c lands at panel[r · PanelStride + (c - c0)]
                if (type == WeightType.Q8_0)
                {
                    Dequantize(a, nb, nb + rows, c0, c1, panel);
                }
                else
                {
                    WidenBF16(a, nb, nb + rows, c0, c1, panel);
                }
                for (int sub = c0; sub < c1; sub += BcKBlock)
                {
                    BroadcastKBlock(p, sub, Math.Min(BcKBlock, c1 - sub), panel + (sub - c0), PanelStride, rows, yT, mPad);
                }
            }
            StoreTransposed(a, yT, mPad, nb, rows);
        }
    }

    /// <summary>Rows [r0, r1), columns [c0, c1) of BF16 weights to f32 into panel [rows, PanelStride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WidenBF16(in Args a, int r0, int r1, int c0, int c1, float* panel)
    {
        for (int r = r0; r < r1; r++)
        {
            ushort* src = (ushort*)a.W + (nint)r * a.K + c0;
            BFloat16.Widen(new ReadOnlySpan<ushort>(src, c1 - c0), new Span<float>(panel + (nint)(r - r0) * PanelStride, c1 - c0));
        }
    }
}
