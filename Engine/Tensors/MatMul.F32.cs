using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    private static unsafe void RunFloat(in Segments products, SimdWidth width, bool bf16)
    {
        Args a = products.First;
        var job = new FloatJob(UsesBroadcastGemm(a.M, width) ? products.WithPackedX(PackForBroadcast(a).XPacked) : products, width, bf16);
        WorkerPool.For(products.TotalItems, ref job, MinItemsPerChunk(a.K * (bf16 ? sizeof(ushort) : sizeof(float))));
    }

    /// <summary>Rows [n0, n1) of y for F32 or BF16 weights on the chosen width.</summary>
    internal static void FloatRows(in Args a, int n0, int n1, SimdWidth width, bool bf16)
    {
        switch (Simd.ForFloat(width), bf16)
        {
            case (SimdWidth.Vector512, false): Rows<F32x512, Vector512<float>>(a, n0, n1); break;
            case (SimdWidth.Vector256, false): Rows<F32x256, Vector256<float>>(a, n0, n1); break;
            case (SimdWidth.Vector128, false): Rows<F32x128, Vector128<float>>(a, n0, n1); break;
            case (SimdWidth.Vector512, true): Rows<BF16x512, Vector512<float>>(a, n0, n1); break;
            case (SimdWidth.Vector256, true): Rows<BF16x256, Vector256<float>>(a, n0, n1); break;
            case (SimdWidth.Vector128, true): Rows<BF16x128, Vector128<float>>(a, n0, n1); break;
            case (_, false): F32Scalar(a, n0, n1); break;
            default: BF16Scalar(a, n0, n1); break;
        }
    }

    private readonly struct FloatJob(Segments products, SimdWidth width, bool bf16) : IParallelJob, ISegmentRows
    {
        private readonly Segments _products = products;
        private readonly SimdWidth _width = width;
        private readonly bool _bf16 = bf16;

        public void Execute(int start, int end) => _products.ForEach(start, end, this);

        public void Run(in Args a, int n0, int n1) => FloatRows(a, n0, n1, _width, _bf16);
    }

    /// <summary>Columns of k per cache block (4 KiB of each f32 row).</summary>
    private const int KBlock = 1024;

    /// <summary>Weight rows per cache block in the GEMM path: NBlock × KBlock f32 (1 MiB) stays in L2.</summary>
    private const int NBlock = 256;

    /// <summary>Rows of x from which the 6×4 GEMM tiles pay off over the weight-streaming tiles.</summary>
    internal const int GemmMinM = 6;

    /// <summary>
    /// Register-blocked kernels over k cache blocks. Small m (decode): 4 x rows × 4 weight rows per tile (3, 2 or 1
    /// for the last rows), the weight tile reused for every m, so weights stream from memory once, the next tile
    /// prefetched. Larger m (prefill): 6 x rows × 4 weight rows (24 accumulators) with the x tile in L1 and an
    /// NBlock × KBlock weight block in L2. Edges use 1×4 and
    /// 1×1 tiles; the k tail is scalar. F32 weights on Vector512 with m ≥ BroadcastGemmMinM take the packed
    /// broadcast GEMM instead (MatMul.F32.Broadcast.cs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Rows<T, TV>(in Args a, int n0, int n1) where T : IF32Lanes<TV> where TV : struct
    {
        nint k = a.K;
        if (a.M >= BroadcastGemmMinM && typeof(T) == typeof(F32x512))
        {
            BroadcastGemm(a, n0, n1);
            return;
        }
        if (a.M >= BroadcastGemmMinM && typeof(T) == typeof(BF16x512))
        {
            PanelBroadcastGemm(a, n0, n1, WeightType.BF16);
            return;
        }
        if (a.M >= GemmMinM)
        {
            for (int nb = n0; nb < n1; nb += NBlock)
            {
                for (nint c0 = 0; c0 < k; c0 += KBlock)
                {
                    GemmKBlock<T, TV>(a, Span<T, TV>(k, c0, k, 0), a.W, nb, Math.Min(n1, nb + NBlock));
                }
            }
            return;
        }
        nint block = a.M >= 2 ? KBlock : k; // one x row uses a weight tile once: stream whole rows
        for (nint c0 = 0; c0 < k; c0 += block)
        {
            var span = Span<T, TV>(k, c0, k, 0, block);
            int j = n0;
            for (; j + 4 <= n1; j += 4)
            {
                nint r = span.Row(j);
                float* bias = a.Bias == null ? null : a.Bias + j;
                int i = 0;
                for (; i + 4 <= a.M; i += 4)
                {
                    Tile4x4<T, TV>(a.X + i * k, span, a.W, r, a.Y + (nint)i * a.N + j, a.N, bias);
                }
                // the last 1-3 rows share one pass over the weight tile too (a decode batch of 2-3 sequences)
                switch (a.M - i)
                {
                    case 3: Tile3x4<T, TV>(a.X + i * k, span, a.W, r, a.Y + (nint)i * a.N + j, a.N, bias); break;
                    case 2: Tile2x4<T, TV>(a.X + i * k, span, a.W, r, a.Y + (nint)i * a.N + j, a.N, bias); break;
                    case 1: Tile1x4<T, TV>(a.X + i * k, span, a.W, r, a.Y + (nint)i * a.N + j, bias); break;
                }
            }
            EdgeRows<T, TV>(a, span, a.W, j, n1);
        }
    }

    private static KSpan Span<T, TV>(nint k, nint c0, nint wStride, nint wOffset, nint block = KBlock) where T : IF32Lanes<TV> where TV : struct
    {
        nint c1 = Math.Min(k, c0 + block);
        return new KSpan(k, c0, c0 + (c1 - c0) / T.Count * T.Count, c1, c0 == 0, wStride, wOffset);
    }

    /// <summary>Weight rows [j, n1) (fewer than 4) one dot product at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void EdgeRows<T, TV>(in Args a, in KSpan span, void* w, int j, int n1) where T : IF32Lanes<TV> where TV : struct
    {
        for (; j < n1; j++)
        {
            for (int i = 0; i < a.M; i++)
            {
                Store(a.Y + (nint)i * a.N + j, Dot<T, TV>(a.X + i * span.K, span, w, span.Row(j)), a.Bias == null ? null : a.Bias + j, span.First);
            }
        }
    }

    /// <summary>Weight rows [n0, n1) (a cache block) × one k block, for every x row, with 6×4 x-stationary tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void GemmKBlock<T, TV>(in Args a, in KSpan span, void* w, int n0, int n1) where T : IF32Lanes<TV> where TV : struct
    {
        nint k = a.K;
        int n4 = n0 + (n1 - n0) / 4 * 4;
        int i = 0;
        for (; i + 6 <= a.M && a.M - i != 8; i += 6)
        {
            for (int j = n0; j < n4; j += 4)
            {
                Tile6x4<T, TV>(a.X + i * k, span, w, span.Row(j), a.Y + (nint)i * a.N + j, a.N, a.Bias == null ? null : a.Bias + j);
            }
        }
        for (; i + 4 <= a.M; i += 4) // 8 = 4 + 4, or the remainder after the 6-row tiles
        {
            for (int j = n0; j < n4; j += 4)
            {
                Tile4x4<T, TV>(a.X + i * k, span, w, span.Row(j), a.Y + (nint)i * a.N + j, a.N, a.Bias == null ? null : a.Bias + j);
            }
        }
        for (; i < a.M; i++)
        {
            for (int j = n0; j < n4; j += 4)
            {
                Tile1x4<T, TV>(a.X + i * k, span, w, span.Row(j), a.Y + (nint)i * a.N + j, a.Bias == null ? null : a.Bias + j);
            }
        }
        EdgeRows<T, TV>(a, span, w, n4, n1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Tile6x4<T, TV>(float* x /*[6, k]*/, in KSpan s, void* w, nint r /*row 0 of 4*/, float* y /*y[i, j]*/, nint ldy, float* bias /*[4] or null*/)
        where T : IF32Lanes<TV> where TV : struct
    {
        TV c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        TV c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        TV c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        TV c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        TV c40 = T.Zero, c41 = T.Zero, c42 = T.Zero, c43 = T.Zero;
        TV c50 = T.Zero, c51 = T.Zero, c52 = T.Zero, c53 = T.Zero;
        nint k = s.K;
        float* x0 = x, x1 = x + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k;
        nint r0 = r, r1 = r + s.WStride, r2 = r1 + s.WStride, r3 = r2 + s.WStride;
        for (nint c = s.Start; c < s.VectorEnd; c += T.Count)
        {
            TV w0 = T.LoadW(w, r0 + c), w1 = T.LoadW(w, r1 + c), w2 = T.LoadW(w, r2 + c), w3 = T.LoadW(w, r3 + c);
            TV v = T.LoadX(x0 + c);
            c00 = T.Fma(v, w0, c00); c01 = T.Fma(v, w1, c01); c02 = T.Fma(v, w2, c02); c03 = T.Fma(v, w3, c03);
            v = T.LoadX(x1 + c);
            c10 = T.Fma(v, w0, c10); c11 = T.Fma(v, w1, c11); c12 = T.Fma(v, w2, c12); c13 = T.Fma(v, w3, c13);
            v = T.LoadX(x2 + c);
            c20 = T.Fma(v, w0, c20); c21 = T.Fma(v, w1, c21); c22 = T.Fma(v, w2, c22); c23 = T.Fma(v, w3, c23);
            v = T.LoadX(x3 + c);
            c30 = T.Fma(v, w0, c30); c31 = T.Fma(v, w1, c31); c32 = T.Fma(v, w2, c32); c33 = T.Fma(v, w3, c33);
            v = T.LoadX(x4 + c);
            c40 = T.Fma(v, w0, c40); c41 = T.Fma(v, w1, c41); c42 = T.Fma(v, w2, c42); c43 = T.Fma(v, w3, c43);
            v = T.LoadX(x5 + c);
            c50 = T.Fma(v, w0, c50); c51 = T.Fma(v, w1, c51); c52 = T.Fma(v, w2, c52); c53 = T.Fma(v, w3, c53);
        }
        StoreRow<T, TV>(x0, s, w, r, y, bias, c00, c01, c02, c03);
        StoreRow<T, TV>(x1, s, w, r, y + ldy, bias, c10, c11, c12, c13);
        StoreRow<T, TV>(x2, s, w, r, y + 2 * ldy, bias, c20, c21, c22, c23);
        StoreRow<T, TV>(x3, s, w, r, y + 3 * ldy, bias, c30, c31, c32, c33);
        StoreRow<T, TV>(x4, s, w, r, y + 4 * ldy, bias, c40, c41, c42, c43);
        StoreRow<T, TV>(x5, s, w, r, y + 5 * ldy, bias, c50, c51, c52, c53);
    }

    /// <summary>Reduces one x row's 4 accumulators (plus the k tail) into y[i, j..j+3].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<T, TV>(float* x, in KSpan s, void* w, nint r, float* y, float* bias, TV c0, TV c1, TV c2, TV c3)
        where T : IF32Lanes<TV> where TV : struct
    {
        nint ws = s.WStride;
        Store(y, T.Sum(c0) + Tail<T, TV>(x, s, w, r), bias, s.First);
        Store(y + 1, T.Sum(c1) + Tail<T, TV>(x, s, w, r + ws), bias == null ? null : bias + 1, s.First);
        Store(y + 2, T.Sum(c2) + Tail<T, TV>(x, s, w, r + 2 * ws), bias == null ? null : bias + 2, s.First);
        Store(y + 3, T.Sum(c3) + Tail<T, TV>(x, s, w, r + 3 * ws), bias == null ? null : bias + 3, s.First);
    }

    /// <summary>
    /// One cache block of k: vector part [Start, VectorEnd), scalar tail [VectorEnd, End); First = the first block.
    /// K is the row stride of x; weight row j, column c is element WOffset + j·WStride + c of the weight pointer
    /// (WStride = K, WOffset = 0 for a WeightMatrix; a dequantized panel uses its own stride and offset).
    /// </summary>
    private readonly record struct KSpan(nint K, nint Start, nint VectorEnd, nint End, bool First, nint WStride, nint WOffset)
    {
        public nint Row(int j) => WOffset + j * WStride;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* y, float sum, float* bias, bool first)
    {
        if (first)
        {
            *y = sum + (bias == null ? 0f : *bias);
        }
        else
        {
            *y += sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float Tail<T, TV>(float* x, in KSpan s, void* w, nint r) where T : IF32Lanes<TV> where TV : struct
    {
        float sum = 0f;
        for (nint c = s.VectorEnd; c < s.End; c++)
        {
            sum += x[c] * T.W(w, r + c);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Tile4x4<T, TV>(float* x /*[4, k]*/, in KSpan s, void* w, nint r /*row 0 of 4*/, float* y /*y[i, j]*/, nint ldy, float* bias /*[4] or null*/)
        where T : IF32Lanes<TV> where TV : struct
    {
        TV c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        TV c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        TV c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        TV c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        nint k = s.K;
        float* x0 = x, x1 = x + k, x2 = x1 + k, x3 = x2 + k;
        nint r0 = r, r1 = r + s.WStride, r2 = r1 + s.WStride, r3 = r2 + s.WStride;
        for (nint c = s.Start; c < s.VectorEnd; c += T.Count)
        {
            PrefetchNextTile<T, TV>(w, r0 + c, s.WStride);
            TV w0 = T.LoadW(w, r0 + c), w1 = T.LoadW(w, r1 + c), w2 = T.LoadW(w, r2 + c), w3 = T.LoadW(w, r3 + c);
            TV v = T.LoadX(x0 + c);
            c00 = T.Fma(v, w0, c00); c01 = T.Fma(v, w1, c01); c02 = T.Fma(v, w2, c02); c03 = T.Fma(v, w3, c03);
            v = T.LoadX(x1 + c);
            c10 = T.Fma(v, w0, c10); c11 = T.Fma(v, w1, c11); c12 = T.Fma(v, w2, c12); c13 = T.Fma(v, w3, c13);
            v = T.LoadX(x2 + c);
            c20 = T.Fma(v, w0, c20); c21 = T.Fma(v, w1, c21); c22 = T.Fma(v, w2, c22); c23 = T.Fma(v, w3, c23);
            v = T.LoadX(x3 + c);
            c30 = T.Fma(v, w0, c30); c31 = T.Fma(v, w1, c31); c32 = T.Fma(v, w2, c32); c33 = T.Fma(v, w3, c33);
        }
        float* b1 = bias == null ? null : bias + 1, b2 = bias == null ? null : bias + 2, b3 = bias == null ? null : bias + 3;
        float* y0 = y, y1 = y + ldy, y2 = y1 + ldy, y3 = y2 + ldy;
        Store(y0, T.Sum(c00) + Tail<T, TV>(x0, s, w, r0), bias, s.First);
        Store(y0 + 1, T.Sum(c01) + Tail<T, TV>(x0, s, w, r1), b1, s.First);
        Store(y0 + 2, T.Sum(c02) + Tail<T, TV>(x0, s, w, r2), b2, s.First);
        Store(y0 + 3, T.Sum(c03) + Tail<T, TV>(x0, s, w, r3), b3, s.First);
        Store(y1, T.Sum(c10) + Tail<T, TV>(x1, s, w, r0), bias, s.First);
        Store(y1 + 1, T.Sum(c11) + Tail<T, TV>(x1, s, w, r1), b1, s.First);
        Store(y1 + 2, T.Sum(c12) + Tail<T, TV>(x1, s, w, r2), b2, s.First);
        Store(y1 + 3, T.Sum(c13) + Tail<T, TV>(x1, s, w, r3), b3, s.First);
        Store(y2, T.Sum(c20) + Tail<T, TV>(x2, s, w, r0), bias, s.First);
        Store(y2 + 1, T.Sum(c21) + Tail<T, TV>(x2, s, w, r1), b1, s.First);
        Store(y2 + 2, T.Sum(c22) + Tail<T, TV>(x2, s, w, r2), b2, s.First);
        Store(y2 + 3, T.Sum(c23) + Tail<T, TV>(x2, s, w, r3), b3, s.First);
        Store(y3, T.Sum(c30) + Tail<T, TV>(x3, s, w, r0), bias, s.First);
        Store(y3 + 1, T.Sum(c31) + Tail<T, TV>(x3, s, w, r1), b1, s.First);
        Store(y3 + 2, T.Sum(c32) + Tail<T, TV>(x3, s, w, r2), b2, s.First);
        Store(y3 + 3, T.Sum(c33) + Tail<T, TV>(x3, s, w, r3), b3, s.First);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Tile3x4<T, TV>(float* x /*[3, k]*/, in KSpan s, void* w, nint r /*row 0 of 4*/, float* y /*y[i, j]*/, nint ldy, float* bias /*[4] or null*/)
        where T : IF32Lanes<TV> where TV : struct
    {
        TV c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        TV c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        TV c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        nint k = s.K;
        float* x0 = x, x1 = x + k, x2 = x1 + k;
        nint r0 = r, r1 = r + s.WStride, r2 = r1 + s.WStride, r3 = r2 + s.WStride;
        for (nint c = s.Start; c < s.VectorEnd; c += T.Count)
        {
            PrefetchNextTile<T, TV>(w, r0 + c, s.WStride);
            TV w0 = T.LoadW(w, r0 + c), w1 = T.LoadW(w, r1 + c), w2 = T.LoadW(w, r2 + c), w3 = T.LoadW(w, r3 + c);
            TV v = T.LoadX(x0 + c);
            c00 = T.Fma(v, w0, c00); c01 = T.Fma(v, w1, c01); c02 = T.Fma(v, w2, c02); c03 = T.Fma(v, w3, c03);
            v = T.LoadX(x1 + c);
            c10 = T.Fma(v, w0, c10); c11 = T.Fma(v, w1, c11); c12 = T.Fma(v, w2, c12); c13 = T.Fma(v, w3, c13);
            v = T.LoadX(x2 + c);
            c20 = T.Fma(v, w0, c20); c21 = T.Fma(v, w1, c21); c22 = T.Fma(v, w2, c22); c23 = T.Fma(v, w3, c23);
        }
        StoreRow<T, TV>(x0, s, w, r, y, bias, c00, c01, c02, c03);
        StoreRow<T, TV>(x1, s, w, r, y + ldy, bias, c10, c11, c12, c13);
        StoreRow<T, TV>(x2, s, w, r, y + 2 * ldy, bias, c20, c21, c22, c23);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Tile2x4<T, TV>(float* x /*[2, k]*/, in KSpan s, void* w, nint r /*row 0 of 4*/, float* y /*y[i, j]*/, nint ldy, float* bias /*[4] or null*/)
        where T : IF32Lanes<TV> where TV : struct
    {
        TV c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        TV c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        float* x0 = x, x1 = x + s.K;
        nint r0 = r, r1 = r + s.WStride, r2 = r1 + s.WStride, r3 = r2 + s.WStride;
        for (nint c = s.Start; c < s.VectorEnd; c += T.Count)
        {
            PrefetchNextTile<T, TV>(w, r0 + c, s.WStride);
            TV w0 = T.LoadW(w, r0 + c), w1 = T.LoadW(w, r1 + c), w2 = T.LoadW(w, r2 + c), w3 = T.LoadW(w, r3 + c);
            TV v = T.LoadX(x0 + c);
            c00 = T.Fma(v, w0, c00); c01 = T.Fma(v, w1, c01); c02 = T.Fma(v, w2, c02); c03 = T.Fma(v, w3, c03);
            v = T.LoadX(x1 + c);
            c10 = T.Fma(v, w0, c10); c11 = T.Fma(v, w1, c11); c12 = T.Fma(v, w2, c12); c13 = T.Fma(v, w3, c13);
        }
        StoreRow<T, TV>(x0, s, w, r, y, bias, c00, c01, c02, c03);
        StoreRow<T, TV>(x1, s, w, r, y + ldy, bias, c10, c11, c12, c13);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Tile1x4<T, TV>(float* x /*[k]*/, in KSpan s, void* w, nint r /*row 0 of 4*/, float* y /*y[i, j]*/, float* bias /*[4] or null*/)
        where T : IF32Lanes<TV> where TV : struct
    {
        TV c0 = T.Zero, c1 = T.Zero, c2 = T.Zero, c3 = T.Zero;
        nint r0 = r, r1 = r + s.WStride, r2 = r1 + s.WStride, r3 = r2 + s.WStride;
        for (nint c = s.Start; c < s.VectorEnd; c += T.Count)
        {
            PrefetchNextTile<T, TV>(w, r0 + c, s.WStride);
            TV v = T.LoadX(x + c);
            c0 = T.Fma(v, T.LoadW(w, r0 + c), c0);
            c1 = T.Fma(v, T.LoadW(w, r1 + c), c1);
            c2 = T.Fma(v, T.LoadW(w, r2 + c), c2);
            c3 = T.Fma(v, T.LoadW(w, r3 + c), c3);
        }
        Store(y, T.Sum(c0) + Tail<T, TV>(x, s, w, r0), bias, s.First);
        Store(y + 1, T.Sum(c1) + Tail<T, TV>(x, s, w, r1), bias == null ? null : bias + 1, s.First);
        Store(y + 2, T.Sum(c2) + Tail<T, TV>(x, s, w, r2), bias == null ? null : bias + 2, s.First);
        Store(y + 3, T.Sum(c3) + Tail<T, TV>(x, s, w, r3), bias == null ? null : bias + 3, s.First);
    }

    /// <summary>
    /// Asks for the vector at weight element <paramref name="index"/> of the next 4-row tile's rows (4 strides on), so
    /// the tile after this one streams in while this one computes. Rows of a few hundred columns are too short for the
    /// hardware prefetcher to ramp up on its own: [2048, 384] decode went from 14-16 to 17-18 GB/s on 2 threads.
    /// Prefetches never fault, so the one past the last tile is harmless.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchNextTile<T, TV>(void* w, nint index, nint wStride) where T : IF32Lanes<TV> where TV : struct
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        nint rowBytes = wStride * T.WeightBytes;
        byte* line = (byte*)w + (index + 4 * wStride) * T.WeightBytes;
        Sse.Prefetch0(line);
        Sse.Prefetch0(line + rowBytes);
        Sse.Prefetch0(line + 2 * rowBytes);
        Sse.Prefetch0(line + 3 * rowBytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe float Dot<T, TV>(float* x /*[k]*/, in KSpan s, void* w, nint r) where T : IF32Lanes<TV> where TV : struct
    {
        TV c0 = T.Zero;
        for (nint c = s.Start; c < s.VectorEnd; c += T.Count)
        {
            c0 = T.Fma(T.LoadX(x + c), T.LoadW(w, r + c), c0);
        }
        return T.Sum(c0) + Tail<T, TV>(x, s, w, r);
    }

    /// <summary>Scalar reference: rows [n0, n1) of y for F32 weights.</summary>
    internal static unsafe void F32Scalar(in Args a, int n0, int n1)
    {
        float* w = (float*)a.W;
        for (int j = n0; j < n1; j++)
        {
            float* wr = w + (long)j * a.K;
            for (int i = 0; i < a.M; i++)
            {
                float* xr = a.X + (long)i * a.K;
                float sum = 0f;
                for (int c = 0; c < a.K; c++)
                {
                    sum += xr[c] * wr[c];
                }
                a.Y[(long)i * a.N + j] = sum + (a.Bias != null ? a.Bias[j] : 0f);
            }
        }
    }

    /// <summary>Scalar reference: rows [n0, n1) of y for BF16 weights (bf16 widened by a 16-bit shift).</summary>
    internal static unsafe void BF16Scalar(in Args a, int n0, int n1)
    {
        ushort* w = (ushort*)a.W;
        for (int j = n0; j < n1; j++)
        {
            ushort* wr = w + (long)j * a.K;
            for (int i = 0; i < a.M; i++)
            {
                float* xr = a.X + (long)i * a.K;
                float sum = 0f;
                for (int c = 0; c < a.K; c++)
                {
                    sum += xr[c] * BitConverter.Int32BitsToSingle(wr[c] << 16);
                }
                a.Y[(long)i * a.N + j] = sum + (a.Bias != null ? a.Bias[j] : 0f);
            }
        }
    }
}
