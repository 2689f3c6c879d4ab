using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    /// <summary>Rows of x from which the Vector512 broadcast GEMM beats the 6×4 dot tiles (measured: at m = 16 neither the half-empty 8×32 tile nor the full 8×16 one is faster, and below 12 both are slower).</summary>
    internal const int BroadcastGemmMinM = 24;

    /// <summary>k per block of the broadcast GEMM: the packed xᵀ block [BcKBlock, 64] is 32 KiB and stays in L1.</summary>
    private const int BcKBlock = 128;

    /// <summary>Weight rows per chunk of the broadcast GEMM (the yᵀ accumulator [BcNBlock + 6, m] stays in L2).</summary>
    private const int BcNBlock = 256;

    /// <summary>x rows per packed xᵀ column block: 4 Vector512.</summary>
    private const int BcMBlock = 64;

    /// <summary>Weight rows per register tile: 6 with 64-wide x blocks, 8 with 32-wide ones (m ≤ 32).</summary>
    private const int BcNr = 6;

    /// <summary>The taller weight-row tile (scratch rows past a chunk).</summary>
    private const int BcNrMax = 8;

    /// <summary>
    /// Width of the packed x blocks for m rows of x: 16 up to 16 rows (8×16 tile), 32 up to 48 rows (8×32 tile; 33-48
    /// rows end in a 16-wide block), else 64 (6×64 tile).
    /// </summary>
    private static int XBlock(int m) => m <= 16 ? 16 : m <= 48 ? 32 : BcMBlock;

    /// <summary>
    /// Width of the last packed x block: the narrowest of 16, 32 or <see cref="XBlock"/> that holds the remainder, so a
    /// block is never mostly empty (m = 80 computes 64 + 16 columns, not 128; m = 40 computes 32 + 16, not 64).
    /// </summary>
    private static int TailBlock(int m)
    {
        int xb = XBlock(m), rem = m % xb;
        return rem == 0 ? xb : rem <= 16 ? 16 : rem <= 32 ? 32 : xb;
    }

    /// <summary>Packed x blocks for m rows: every block is <see cref="XBlock"/> wide except the last (<see cref="TailBlock"/>).</summary>
    private static int MBlocks(int m) => (m + XBlock(m) - 1) / XBlock(m);

    /// <summary>Columns of the yᵀ scratch (and of the packed x) for m rows: whole blocks, the last one <see cref="TailBlock"/> wide.</summary>
    private static int MPad(int m) => (MBlocks(m) - 1) * XBlock(m) + TailBlock(m);

    [ThreadStatic]
    private static NativeBuffer? t_bcX;

    [ThreadStatic]
    private static NativeBuffer? t_bcY;

    [ThreadStatic]
    private static NativeBuffer? t_bcZero;

    /// <summary>Whether rows of x on this width take the broadcast GEMM (F32 compute on Vector512, m ≥ BroadcastGemmMinM).</summary>
    internal static bool UsesBroadcastGemm(int m, SimdWidth width)
        => m >= BroadcastGemmMinM && Simd.ForFloat(width) == SimdWidth.Vector512;

    /// <summary>
    /// Packs x once per call into the calling thread's scratch (the workers of this call read it):
    /// xᵀ [mBlocks][kPad][xb], column c of x row i at [i / xb][c][i % xb] (the last block [kPad][tail], see
    /// <see cref="TailBlock"/>); rows past m are zeros, so a k block [c0, c0 + kc) of row block mb is the contiguous
    /// L1-sized [kc, width] the kernel streams.
    /// </summary>
    internal static unsafe Args PackForBroadcast(in Args a)
    {
        int xb = XBlock(a.M);
        int mBlocks = MBlocks(a.M);
        nint kPad = KPad(a.K);
        long floats = MPad(a.M) * kPad;
        if (t_bcX == null || t_bcX.Bytes < floats * sizeof(float))
        {
            t_bcX?.Dispose();
            t_bcX = new NativeBuffer(floats * sizeof(float));
        }
        float* xT = (float*)t_bcX.Pointer;
        float** src = stackalloc float*[BcMBlock];
        for (int mb = 0; mb < mBlocks; mb++)
        {
            int width = mb == mBlocks - 1 ? TailBlock(a.M) : xb;
            int rows = Math.Min(width, a.M - mb * xb);
            for (int i = 0; i < rows; i++)
            {
                src[i] = a.X + (nint)(mb * xb + i) * a.K;
            }
            // column-major walk: the 64 source lines stay in L1 for 16 columns, the destination is written in order
            float* d = xT + mb * kPad * xb;
            for (nint c = 0; c < a.K; c++, d += width)
            {
                for (int i = 0; i < rows; i++)
                {
                    d[i] = src[i][c];
                }
                for (int i = rows; i < width; i++)
                {
                    d[i] = 0f;
                }
            }
        }
        return a.WithPackedX(xT);
    }

    private static nint KPad(int k) => (k + BcKBlock - 1) / BcKBlock * BcKBlock;

    /// <summary>
    /// Prefill GEMM on F32 weights with Vector512 (m ≥ BroadcastGemmMinM), computed as yᵀ = W · xᵀ over the packed
    /// xᵀ (<see cref="PackForBroadcast"/>): the 6×4 register tile (24 zmm accumulators = 6 weight rows × 64 x rows)
    /// loads 4 xᵀ vectors and broadcasts 6 weight scalars per k, so each weight element is read once per 64 x rows
    /// with no horizontal sums, and the next 6 weight rows are prefetched while these are multiplied; 24-48 rows of x
    /// (decode batches) use an 8-row tile over 32-wide blocks (<see cref="Kernel8x32"/>), and a last block of at most
    /// 16 rows the 8×16 tile (<see cref="Kernel8x16"/>), so no block is mostly empty (<see cref="TailBlock"/>). Partial sums
    /// live in a per-thread yᵀ scratch [rows, mPad] (L2) and are transposed into y (plus bias) once per weight chunk.
    /// No allocation after the scratch has grown to the largest m.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void BroadcastGemm(in Args a, int n0, int n1)
    {
        Args p = a.XPacked != null ? a : PackForBroadcast(a);
        float* yT = BroadcastScratch(a.M, BcNBlock, out nint mPad);
        for (int nc = n0; nc < n1; nc += BcNBlock)
        {
            int rows = Math.Min(n1, nc + BcNBlock) - nc;
            for (int c0 = 0; c0 < a.K; c0 += BcKBlock)
            {
                BroadcastKBlock(p, c0, Math.Min(BcKBlock, a.K - c0), (float*)a.W + (nint)nc * a.K + c0, a.K, rows, yT, mPad);
            }
            StoreTransposed(a, yT, mPad, nc, rows);
        }
    }

    /// <summary>The calling thread's yᵀ scratch for up to <paramref name="rows"/> weight rows (+ one tile) × mPad.</summary>
    private static unsafe float* BroadcastScratch(int m, int rows, out nint mPad)
    {
        mPad = MPad(m);
        long floats = (rows + BcNrMax) * mPad;
        if (t_bcY == null || t_bcY.Bytes < floats * sizeof(float))
        {
            t_bcY?.Dispose();
            t_bcY = new NativeBuffer(floats * sizeof(float));
        }
        if (t_bcZero == null)
        {
            t_bcZero = new NativeBuffer(BcKBlock * sizeof(float));
            new Span<float>(t_bcZero.Pointer, BcKBlock).Clear();
        }
        return (float*)t_bcY.Pointer;
    }

    /// <summary>
    /// yᵀ[r, 0..mPad) (= when c0 is 0, else +=) Σ_{c in [c0, c0 + kc)} w[r, c] · x[.., c] for the <paramref name="rows"/>
    /// weight rows starting at <paramref name="w"/> (row stride ldw, already offset to column c0); rows past the
    /// last read the zero row.
    /// </summary>
    private static unsafe void BroadcastKBlock(in Args p, int c0, int kc, float* w /*[rows, ldw] from column c0*/, nint ldw, int rows, float* yT /*[rows, mPad]*/, nint mPad)
    {
        float** r = stackalloc float*[BcNrMax];
        float* zero = (float*)t_bcZero!.Pointer;
        nint kPad = KPad(p.K);
        int xw = XBlock(p.M), mBlocks = MBlocks(p.M);
        for (int mb = 0; mb < mBlocks; mb++)
        {
            int width = mb == mBlocks - 1 ? TailBlock(p.M) : xw;
            int nr = width == BcMBlock ? BcNr : BcNrMax;
            float* xb = p.XPacked + mb * kPad * xw + (nint)c0 * width;
            for (int j = 0; j < rows; j += nr)
            {
                for (int i = 0; i < nr; i++)
                {
                    r[i] = j + i < rows ? w + (j + i) * ldw : zero;
                }
                float* y = yT + j * mPad + mb * xw;
                if (width == BcMBlock)
                {
                    Kernel6x64(xb, r, kc, y, mPad, c0 == 0, nr * ldw);
                }
                else if (width == 32)
                {
                    Kernel8x32(xb, r, kc, y, mPad, c0 == 0, nr * ldw);
                }
                else
                {
                    Kernel8x16(xb, r, kc, y, mPad, c0 == 0, nr * ldw);
                }
            }
        }
    }

    /// <summary>
    /// y[i, nc + r] = yᵀ[r, i] + bias[nc + r] for r &lt; rows, i &lt; m: row by row of y, so the writes to memory are
    /// contiguous and the strided reads hit the L1-resident columns of the yᵀ scratch.
    /// </summary>
    private static unsafe void StoreTransposed(in Args a, float* yT /*[rows, mPad]*/, nint mPad, int nc, int rows)
    {
        float* bias = a.Bias == null ? null : a.Bias + nc;
        for (int i = 0; i < a.M; i++)
        {
            float* dst = a.Y + (nint)i * a.N + nc;
            float* src = yT + i;
            if (bias == null)
            {
                for (int r = 0; r < rows; r++)
                {
                    dst[r] = src[r * mPad];
                }
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    dst[r] = src[r * mPad] + bias[r];
                }
            }
        }
    }

    /// <summary>
    /// yᵀ[6 weight rows, 64 x rows] (row stride ldy) = (first ? 0 : yᵀ) + Σ_c w_r[c] · xᵀ[c, 0..64); every 16 k
    /// (one cache line of each row) the line <paramref name="ahead"/> floats further on of each row is prefetched:
    /// the next tile's rows, so weights streamed from memory arrive before they are needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Kernel6x64(float* xT /*[kc, 64]*/, float** w /*6 rows, [kc] each*/, int kc, float* yT /*[6, ldy]*/, nint ldy, bool first, nint ahead)
    {
        var c00 = Vector512<float>.Zero; var c01 = c00; var c02 = c00; var c03 = c00;
        var c10 = c00; var c11 = c00; var c12 = c00; var c13 = c00;
        var c20 = c00; var c21 = c00; var c22 = c00; var c23 = c00;
        var c30 = c00; var c31 = c00; var c32 = c00; var c33 = c00;
        var c40 = c00; var c41 = c00; var c42 = c00; var c43 = c00;
        var c50 = c00; var c51 = c00; var c52 = c00; var c53 = c00;
        float* w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
        for (nint line = 0; line < kc; line += 16)
        {
            Sse.Prefetch0(w0 + line + ahead); Sse.Prefetch0(w1 + line + ahead); Sse.Prefetch0(w2 + line + ahead);
            Sse.Prefetch0(w3 + line + ahead); Sse.Prefetch0(w4 + line + ahead); Sse.Prefetch0(w5 + line + ahead);
            nint end = Math.Min(kc, line + 16);
            for (nint c = line; c < end; c++)
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
        }
        StoreT(yT, first, c00, c01, c02, c03);
        StoreT(yT + ldy, first, c10, c11, c12, c13);
        StoreT(yT + 2 * ldy, first, c20, c21, c22, c23);
        StoreT(yT + 3 * ldy, first, c30, c31, c32, c33);
        StoreT(yT + 4 * ldy, first, c40, c41, c42, c43);
        StoreT(yT + 5 * ldy, first, c50, c51, c52, c53);
    }

    /// <summary>
    /// yᵀ[8 weight rows, 32 x rows] (row stride ldy) = (first ? 0 : yᵀ) + Σ_c w_r[c] · xᵀ[c, 0..32): the tile for
    /// 16 ≤ m ≤ 32 (decode batches): 16 zmm accumulators, 2 xᵀ loads and 8 weight broadcasts per k, the next tile's
    /// rows prefetched every 16 k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Kernel8x32(float* xT /*[kc, 32]*/, float** w /*8 rows, [kc] each*/, int kc, float* yT /*[8, ldy]*/, nint ldy, bool first, nint ahead)
    {
        var c0a = Vector512<float>.Zero; var c0b = c0a;
        var c1a = c0a; var c1b = c0a;
        var c2a = c0a; var c2b = c0a;
        var c3a = c0a; var c3b = c0a;
        var c4a = c0a; var c4b = c0a;
        var c5a = c0a; var c5b = c0a;
        var c6a = c0a; var c6b = c0a;
        var c7a = c0a; var c7b = c0a;
        float* w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7];
        for (nint line = 0; line < kc; line += 16)
        {
            Sse.Prefetch0(w0 + line + ahead); Sse.Prefetch0(w1 + line + ahead); Sse.Prefetch0(w2 + line + ahead); Sse.Prefetch0(w3 + line + ahead);
            Sse.Prefetch0(w4 + line + ahead); Sse.Prefetch0(w5 + line + ahead); Sse.Prefetch0(w6 + line + ahead); Sse.Prefetch0(w7 + line + ahead);
            nint end = Math.Min(kc, line + 16);
            for (nint c = line; c < end; c++)
            {
                float* xr = xT + c * 32;
                var x0 = Vector512.Load(xr);
                var x1 = Vector512.Load(xr + 16);
                var b = Vector512.Create(w0[c]);
                c0a = Vector512.FusedMultiplyAdd(x0, b, c0a); c0b = Vector512.FusedMultiplyAdd(x1, b, c0b);
                b = Vector512.Create(w1[c]);
                c1a = Vector512.FusedMultiplyAdd(x0, b, c1a); c1b = Vector512.FusedMultiplyAdd(x1, b, c1b);
                b = Vector512.Create(w2[c]);
                c2a = Vector512.FusedMultiplyAdd(x0, b, c2a); c2b = Vector512.FusedMultiplyAdd(x1, b, c2b);
                b = Vector512.Create(w3[c]);
                c3a = Vector512.FusedMultiplyAdd(x0, b, c3a); c3b = Vector512.FusedMultiplyAdd(x1, b, c3b);
                b = Vector512.Create(w4[c]);
                c4a = Vector512.FusedMultiplyAdd(x0, b, c4a); c4b = Vector512.FusedMultiplyAdd(x1, b, c4b);
                b = Vector512.Create(w5[c]);
                c5a = Vector512.FusedMultiplyAdd(x0, b, c5a); c5b = Vector512.FusedMultiplyAdd(x1, b, c5b);
                b = Vector512.Create(w6[c]);
                c6a = Vector512.FusedMultiplyAdd(x0, b, c6a); c6b = Vector512.FusedMultiplyAdd(x1, b, c6b);
                b = Vector512.Create(w7[c]);
                c7a = Vector512.FusedMultiplyAdd(x0, b, c7a); c7b = Vector512.FusedMultiplyAdd(x1, b, c7b);
            }
        }
        StoreT2(yT, first, c0a, c0b);
        StoreT2(yT + 1 * ldy, first, c1a, c1b);
        StoreT2(yT + 2 * ldy, first, c2a, c2b);
        StoreT2(yT + 3 * ldy, first, c3a, c3b);
        StoreT2(yT + 4 * ldy, first, c4a, c4b);
        StoreT2(yT + 5 * ldy, first, c5a, c5b);
        StoreT2(yT + 6 * ldy, first, c6a, c6b);
        StoreT2(yT + 7 * ldy, first, c7a, c7b);
    }

    /// <summary>
    /// yᵀ[8 weight rows, 16 x rows] (row stride ldy) = (first ? 0 : yᵀ) + Σ_c w_r[c] · xᵀ[c, 0..16): the tile for
    /// up to 16 rows of x (small decode batches, short prefill chunks, remainders): 8 zmm accumulators, one xᵀ load and
    /// 8 weight broadcasts per k, so weights are read once per 16 x rows with no horizontal sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Kernel8x16(float* xT /*[kc, 16]*/, float** w /*8 rows, [kc] each*/, int kc, float* yT /*[8, ldy]*/, nint ldy, bool first, nint ahead)
    {
        var c0 = Vector512<float>.Zero; var c1 = c0; var c2 = c0; var c3 = c0;
        var c4 = c0; var c5 = c0; var c6 = c0; var c7 = c0;
        float* w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7];
        for (nint line = 0; line < kc; line += 16)
        {
            Sse.Prefetch0(w0 + line + ahead); Sse.Prefetch0(w1 + line + ahead); Sse.Prefetch0(w2 + line + ahead); Sse.Prefetch0(w3 + line + ahead);
            Sse.Prefetch0(w4 + line + ahead); Sse.Prefetch0(w5 + line + ahead); Sse.Prefetch0(w6 + line + ahead); Sse.Prefetch0(w7 + line + ahead);
            nint end = Math.Min(kc, line + 16);
            for (nint c = line; c < end; c++)
            {
                var x = Vector512.Load(xT + c * 16);
                c0 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w0[c]), c0);
                c1 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w1[c]), c1);
                c2 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w2[c]), c2);
                c3 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w3[c]), c3);
                c4 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w4[c]), c4);
                c5 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w5[c]), c5);
                c6 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w6[c]), c6);
                c7 = Vector512.FusedMultiplyAdd(x, Vector512.Create(w7[c]), c7);
            }
        }
        StoreT1(yT, first, c0);
        StoreT1(yT + 1 * ldy, first, c1);
        StoreT1(yT + 2 * ldy, first, c2);
        StoreT1(yT + 3 * ldy, first, c3);
        StoreT1(yT + 4 * ldy, first, c4);
        StoreT1(yT + 5 * ldy, first, c5);
        StoreT1(yT + 6 * ldy, first, c6);
        StoreT1(yT + 7 * ldy, first, c7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreT1(float* y /*[16]*/, bool first, Vector512<float> v)
    {
        if (!first)
        {
            v += Vector512.Load(y);
        }
        v.Store(y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreT2(float* y /*[32]*/, bool first, Vector512<float> v0, Vector512<float> v1)
    {
        if (!first)
        {
            v0 += Vector512.Load(y); v1 += Vector512.Load(y + 16);
        }
        v0.Store(y); v1.Store(y + 16);
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
