using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    /// <summary>Rows of x from which the Vector512 broadcast GEMM (64 x rows per register tile) beats the 6×4 dot tiles.</summary>
    internal const int BroadcastGemmMinM = 32;

    /// <summary>k per block of the broadcast GEMM: the packed xᵀ block [BcKBlock, 64] is 32 KiB and stays in L1.</summary>
    private const int BcKBlock = 128;

    /// <summary>Weight rows per chunk of the broadcast GEMM (the yᵀ accumulator [BcNBlock + 6, m] stays in L2).</summary>
    private const int BcNBlock = 256;

    /// <summary>x rows per packed xᵀ column block: 4 Vector512.</summary>
    private const int BcMBlock = 64;

    /// <summary>Weight rows per register tile.</summary>
    private const int BcNr = 6;

    [ThreadStatic]
    private static NativeBuffer? t_bcX;

    [ThreadStatic]
    private static NativeBuffer? t_bcY;

    [ThreadStatic]
    private static NativeBuffer? t_bcZero;

    /// <summary>
    /// Prefill GEMM on F32 weights with Vector512 (m ≥ BroadcastGemmMinM), computed as yᵀ = W · xᵀ: x is packed
    /// (transposed, zero-padded to 64 rows) into k-major blocks xᵀ [BcKBlock, 64] that stay in L1; the 6×4 register
    /// tile (24 zmm accumulators = 6 weight rows × 64 x rows) loads 4 xᵀ vectors and broadcasts 6 weight scalars
    /// per k, so each weight element is read once per 64 x rows with no horizontal sums. Partial sums live in a
    /// per-thread yᵀ scratch [rows, mPad] (L2) and are transposed into y (plus bias) once per weight chunk.
    /// Weight rows past the chunk read a zero row. No allocation after the scratch has grown to the largest m.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void BroadcastGemm(in Args a, int n0, int n1)
    {
        int m = a.M, k = a.K;
        int mBlocks = (m + BcMBlock - 1) / BcMBlock;
        int mPad = mBlocks * BcMBlock;
        long xFloats = (long)mBlocks * BcKBlock * BcMBlock;
        long yFloats = (long)(BcNBlock + BcNr) * mPad;
        if (t_bcX == null || t_bcX.Bytes < xFloats * sizeof(float))
        {
            t_bcX?.Dispose();
            t_bcX = new NativeBuffer(xFloats * sizeof(float));
        }
        if (t_bcY == null || t_bcY.Bytes < yFloats * sizeof(float))
        {
            t_bcY?.Dispose();
            t_bcY = new NativeBuffer(yFloats * sizeof(float));
        }
        t_bcZero ??= new NativeBuffer(BcKBlock * sizeof(float)); // zero-filled on allocation
        float* xT = (float*)t_bcX.Pointer;
        float* yT = (float*)t_bcY.Pointer;
        float* zero = (float*)t_bcZero.Pointer;
        new Span<float>(zero, BcKBlock).Clear();
        float* w = (float*)a.W;
        float** rows = stackalloc float*[BcNr];
        for (int nc = n0; nc < n1; nc += BcNBlock)
        {
            int ncEnd = Math.Min(n1, nc + BcNBlock);
            int groups = (ncEnd - nc + BcNr - 1) / BcNr;
            for (int c0 = 0; c0 < k; c0 += BcKBlock)
            {
                int kc = Math.Min(BcKBlock, k - c0);
                PackXTransposed(a, c0, kc, mPad, xT);
                for (int mb = 0; mb < mBlocks; mb++)
                {
                    float* xb = xT + (nint)mb * BcKBlock * BcMBlock;
                    for (int g = 0; g < groups; g++)
                    {
                        int j = nc + g * BcNr;
                        for (int r = 0; r < BcNr; r++)
                        {
                            rows[r] = j + r < ncEnd ? w + (nint)(j + r) * k + c0 : zero;
                        }
                        float* yt = yT + (nint)(g * BcNr) * mPad + mb * BcMBlock;
                        Kernel6x64(xb, rows, kc, yt, mPad, c0 == 0);
                    }
                }
            }
            for (int r = 0; r < ncEnd - nc; r++)
            {
                float b = a.Bias == null ? 0f : a.Bias[nc + r];
                float* src = yT + (nint)r * mPad;
                float* dst = a.Y + nc + r;
                for (int i = 0; i < m; i++)
                {
                    dst[(nint)i * a.N] = src[i] + b;
                }
            }
        }
    }

    /// <summary>x columns [c0, c0 + kc) of all m rows into [mBlocks][BcKBlock][64]; rows past m are zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackXTransposed(in Args a, int c0, int kc, int mPad, float* xT)
    {
        for (int i = 0; i < mPad; i++)
        {
            float* d = xT + (nint)(i / BcMBlock) * BcKBlock * BcMBlock + (i % BcMBlock);
            if (i >= a.M)
            {
                for (int c = 0; c < kc; c++)
                {
                    d[c * BcMBlock] = 0f;
                }
                continue;
            }
            float* src = a.X + (nint)i * a.K + c0;
            for (int c = 0; c < kc; c++)
            {
                d[c * BcMBlock] = src[c];
            }
        }
    }

    /// <summary>yᵀ[6 weight rows, 64 x rows] (row stride ldy) = (first ? 0 : yᵀ) + Σ_c w_r[c] · xᵀ[c, 0..64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Kernel6x64(float* xT /*[kc, 64]*/, float** w /*6 rows, [kc] each*/, int kc, float* yT /*[6, ldy]*/, nint ldy, bool first)
    {
        var c00 = Vector512<float>.Zero; var c01 = c00; var c02 = c00; var c03 = c00;
        var c10 = c00; var c11 = c00; var c12 = c00; var c13 = c00;
        var c20 = c00; var c21 = c00; var c22 = c00; var c23 = c00;
        var c30 = c00; var c31 = c00; var c32 = c00; var c33 = c00;
        var c40 = c00; var c41 = c00; var c42 = c00; var c43 = c00;
        var c50 = c00; var c51 = c00; var c52 = c00; var c53 = c00;
        float* w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
        for (nint c = 0; c < kc; c++)
        {
            float* xr = xT + c * BcMBlock;
            var x0 = Vector512.Load(xr);
            var x1 = Vector512.Load(xr + 16);
            var x2 = Vector512.Load(xr + 32);
            var x3 = Vector512.Load(xr + 48);
            var b = Vector512.Create(w0[c]);
            c00 = Vector512.FusedMultiplyAdd(x0, b, c00); c01 = Vector512.FusedMultiplyAdd(x1, b, c01);
            c02 = Vector512.FusedMultiplyAdd(x2, b, c02); c03 = Vector512.FusedMultiplyAdd(x3, b, c03);
            b = Vector512.Create(w1[c]);
            c10 = Vector512.FusedMultiplyAdd(x0, b, c10); c11 = Vector512.FusedMultiplyAdd(x1, b, c11);
            c12 = Vector512.FusedMultiplyAdd(x2, b, c12); c13 = Vector512.FusedMultiplyAdd(x3, b, c13);
            b = Vector512.Create(w2[c]);
            c20 = Vector512.FusedMultiplyAdd(x0, b, c20); c21 = Vector512.FusedMultiplyAdd(x1, b, c21);
            c22 = Vector512.FusedMultiplyAdd(x2, b, c22); c23 = Vector512.FusedMultiplyAdd(x3, b, c23);
            b = Vector512.Create(w3[c]);
            c30 = Vector512.FusedMultiplyAdd(x0, b, c30); c31 = Vector512.FusedMultiplyAdd(x1, b, c31);
            c32 = Vector512.FusedMultiplyAdd(x2, b, c32); c33 = Vector512.FusedMultiplyAdd(x3, b, c33);
            b = Vector512.Create(w4[c]);
            c40 = Vector512.FusedMultiplyAdd(x0, b, c40); c41 = Vector512.FusedMultiplyAdd(x1, b, c41);
            c42 = Vector512.FusedMultiplyAdd(x2, b, c42); c43 = Vector512.FusedMultiplyAdd(x3, b, c43);
            b = Vector512.Create(w5[c]);
            c50 = Vector512.FusedMultiplyAdd(x0, b, c50); c51 = Vector512.FusedMultiplyAdd(x1, b, c51);
            c52 = Vector512.FusedMultiplyAdd(x2, b, c52); c53 = Vector512.FusedMultiplyAdd(x3, b, c53);
        }
        StoreT(yT, first, c00, c01, c02, c03);
        StoreT(yT + ldy, first, c10, c11, c12, c13);
        StoreT(yT + 2 * ldy, first, c20, c21, c22, c23);
        StoreT(yT + 3 * ldy, first, c30, c31, c32, c33);
        StoreT(yT + 4 * ldy, first, c40, c41, c42, c43);
        StoreT(yT + 5 * ldy, first, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreT(float* y /*[64]*/, bool first, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        if (!first)
        {
            v0 += Vector512.Load(y); v1 += Vector512.Load(y + 16); v2 += Vector512.Load(y + 32); v3 += Vector512.Load(y + 48);
        }
        v0.Store(y); v1.Store(y + 16); v2.Store(y + 32); v3.Store(y + 48);
    }
}
