using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Models;

/// <summary>
/// Causal grouped-query attention over an <see cref="IKvCache"/>: every (token, head) row of the batch attends to its
/// sequence's cached positions [0, pos], read block by block with an online (running-max) softmax, so the same code
/// serves prefill, decode and mixed batches and a paged cache.
/// Work items are (span, kv head, tile of up to <see cref="TileTokens"/> tokens, fewer when the batch would give the
/// pool threads too few items): the query heads that share a kv head
/// and neighbouring tokens of one sequence are processed <see cref="RowsPerPass"/> rows at a time, so each K/V block
/// is loaded once for several rows. Keys are stored transposed per block ([kvHeads, headDim, BlockSize]), so the
/// scores of one row against 16 positions are one vector accumulated over headDim with broadcast FMAs (no horizontal
/// sums). Each row's arithmetic depends only on its own query, position and the cache (masked lanes contribute exact
/// zeros), never on which rows share its tile: batched = unbatched exactly. The kernel is generic over the cache's
/// element type (<see cref="F32Elements"/>, or <see cref="BF16Elements"/> widened 16 at a time by a shift into the
/// high half, so bf16 reads half the bytes and computes in f32 like the f32 cache); a bf16 prefill tile, whose blocks
/// every row pass re-reads, widens them once into a per-thread f32 scratch instead (up to 1 MiB, else directly).
/// </summary>
internal sealed unsafe class CausalAttention : IDisposable
{
    private const int MaxScratch = 512;
    private const int Lanes = 16;          // Vector512<float>
    private const int RowsPerPass = 4;     // rows sharing each K/V load
    private const int TileTokens = 16;     // tokens of one span per work item, at most
    private const int ItemsPerThread = 4;  // below this many items per pool thread, tiles shrink (a short prefill is otherwise 2-4 uneven items)
    private const int CacheLine = 64;      // prefetch stride in bytes
    private const int SoftmaxPositions = 64;   // positions per online-softmax update (4 blocks of 16): the max, exp and rescale once per 64, not per block
    private const int MaxWidenedFloats = 256 * 1024;   // 1 MiB of widened bf16 K/V per thread (half the L2)
    private GCHandle _self;
    private readonly int _heads, _kvHeads, _headDim, _group;
    private readonly float _scale;
    private readonly int[] _items;   // [items, 3]: span, kv head, first token of the tile (in the span)
    private int _tileTokens = TileTokens;   // tokens per tile of the planned batch

    // per call
    private float[] _q = Array.Empty<float>();    // [T, h, e]
    private float[] _out = Array.Empty<float>();  // [T, h, e]
    private SequenceSpan[] _spans = Array.Empty<SequenceSpan>();
    private IKvCache? _cache;
    private int _layer;

    public CausalAttention(int heads, int kvHeads, int headDim, int maxTokens)
    {
        if (headDim > MaxScratch)
        {
            throw new NotSupportedException($"head_dim {headDim} exceeds the attention kernel's limit of {MaxScratch}");
        }
        _heads = heads;
        _kvHeads = kvHeads;
        _headDim = headDim;
        _group = heads / kvHeads;
        _scale = 1f / MathF.Sqrt(headDim);
        _items = new int[maxTokens * kvHeads * 3];   // every tile holds at least one token
        _self = GCHandle.Alloc(this);
    }

    /// <summary>Splits the batch into work items; call once per forward pass before <see cref="Forward"/>.</summary>
    public void Plan(ForwardBatch batch)
    {
        _spans = batch.SpanArray;
        // smaller tiles re-read no more K/V (every row pass reads its blocks anyway) and give the pool threads even
        // shares; a tile keeps at least one full row pass. Which rows share a pass never changes a row's numbers.
        int minTile = (RowsPerPass + _group - 1) / _group, want = ItemsPerThread * WorkerPool.ActiveThreads;
        _tileTokens = TileTokens;
        int count = Items(batch, _tileTokens);
        while (count < want && _tileTokens > minTile)
        {
            _tileTokens = Math.Max(minTile, _tileTokens / 2);
            count = Items(batch, _tileTokens);
        }
        if (_items.Length < count * 3)
        {
            throw new ArgumentException($"the batch has {batch.TokenCount} tokens, more than this attention was sized for", nameof(batch));
        }
        int n = 0;
        ReadOnlySpan<SequenceSpan> all = batch.Spans;
        for (int si = 0; si < all.Length; si++)
        {
            for (int first = 0; first < all[si].Length; first += _tileTokens)
            {
                for (int kh = 0; kh < _kvHeads; kh++)
                {
                    _items[n++] = si;
                    _items[n++] = kh;
                    _items[n++] = first;
                }
            }
        }
        ItemCount = count;
    }

    private int ItemCount { get; set; }

    private int Items(ForwardBatch batch, int tile)
    {
        int count = 0;
        foreach (SequenceSpan s in batch.Spans)
        {
            count += (s.Length + tile - 1) / tile * _kvHeads;
        }
        return count;
    }

    /// <summary>out[t, head] = softmax(q·Kᵀ / sqrt(e)) · V over positions [0, pos(t)] of t's sequence, for the planned batch.</summary>
    public void Forward(float[] q /*[T, h, e]*/, IKvCache cache, int layer, float[] output /*[T, h, e]*/)
    {
        if (cache.BlockSize > MaxScratch)
        {
            throw new NotSupportedException($"KV cache block size {cache.BlockSize} exceeds the attention kernel's limit of {MaxScratch}");
        }
        _q = q;
        _out = output;
        _cache = cache;
        _layer = layer;
        var job = new Job { Self = GCHandle.ToIntPtr(_self) };
        WorkerPool.For(ItemCount, ref job);
        _cache = null;
    }

    public void Dispose()
    {
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private void Run(int start, int end)
    {
        if (_cache!.DType == KvCacheDType.BF16)
        {
            Run<BF16Elements>(start, end);
        }
        else
        {
            Run<F32Elements>(start, end);
        }
    }

    /// <summary>Per worker thread, pinned: one kv head's K and V of a tile's blocks widened to f32, [blocks, 2, e * B] (grown on demand).</summary>
    [ThreadStatic]
    private static float[]? t_widened;

    private void Run<T>(int start, int end) where T : struct, IKvElements
    {
        IKvCache cache = _cache!;
        int size = T.Size;
        int e = _headDim, B = cache.BlockSize, padded = (B + Lanes - 1) / Lanes * Lanes;
        int S = padded == B ? Math.Max(1, SoftmaxPositions / B) : 1;   // blocks per softmax update (their scores must be contiguous)
        int width = S * padded;                                          // row stride of the scores
        long headBytes = (long)e * B * size;                             // one kv head's slice of a block
        float* scores = stackalloc float[RowsPerPass * width];   // [R, width] scores, then probabilities
        float* acc = stackalloc float[RowsPerPass * e];            // [R, e]
        float* kTail = stackalloc float[Lanes];
        float* runningMax = stackalloc float[RowsPerPass];
        float* runningSum = stackalloc float[RowsPerPass];
        int* rowPos = stackalloc int[RowsPerPass];
        int* rowIndex = stackalloc int[RowsPerPass];              // row of q / out: t * h + head
        int* valid = stackalloc int[RowsPerPass];
        fixed (float* qBase = _q)
        fixed (float* outBase = _out)
        {
            for (int item = start; item < end; item++)
            {
                SequenceSpan span = _spans[_items[item * 3]];
                int kh = _items[item * 3 + 1], first = _items[item * 3 + 2];
                int tileTokens = Math.Min(_tileTokens, span.Length - first);
                int rows = tileTokens * _group;
                // a bf16 tile of several row passes (prefill) widens its blocks once instead of once per pass, while
                // the f32 copy stays L2-sized; the widening is exact and the f32 kernel does the same arithmetic, so
                // the result is bit-identical either way
                int lastPos = span.StartPosition + first + tileTokens - 1;
                float* widened = typeof(T) == typeof(BF16Elements) && rows > RowsPerPass && (long)(lastPos / B + 1) * 2 * e * B <= MaxWidenedFloats
                    ? Widen(cache, span.SequenceId, kh, lastPos)
                    : null;
                for (int r0 = 0; r0 < rows; r0 += RowsPerPass)
                {
                    int R = Math.Min(RowsPerPass, rows - r0), maxPos = 0;
                    for (int r = 0; r < RowsPerPass; r++)
                    {
                        int rr = r0 + Math.Min(r, R - 1);    // padding rows repeat the last real row; never written out
                        int tokenInSpan = first + rr / _group, head = kh * _group + rr % _group;
                        rowPos[r] = span.StartPosition + tokenInSpan;
                        rowIndex[r] = (span.Start + tokenInSpan) * _heads + head;
                        runningMax[r] = float.NegativeInfinity;
                        runningSum[r] = 0f;
                        maxPos = Math.Max(maxPos, rowPos[r]);
                    }
                    new Span<float>(acc, RowsPerPass * e).Clear();
                    float* q0 = qBase + (long)rowIndex[0] * e, q1 = qBase + (long)rowIndex[1] * e;
                    float* q2 = qBase + (long)rowIndex[2] * e, q3 = qBase + (long)rowIndex[3] * e;
                    // blocks are taken S at a time: scores of the group first, then one online-softmax update (one max,
                    // one exp pass, one rescale of the accumulators) for all of them, then their values
                    int lastBlock = maxPos / B;
                    for (int firstBlock = 0; firstBlock <= lastBlock; firstBlock += S)
                    {
                        int blocks = Math.Min(S, lastBlock + 1 - firstBlock), baseP = firstBlock * B;
                        for (int g = 0; g < blocks; g++)
                        {
                            int block = firstBlock + g;
                            if (widened != null)
                            {
                                Scores<F32Elements>((byte*)(widened + (long)block * 2 * e * B), e, B, width, q0, q1, q2, q3, scores + g * padded, kTail, null);
                                continue;
                            }
                            bool hasNext = block < lastBlock;
                            ReadOnlySpan<byte> keySpan = cache.KeyBytes(_layer, span.SequenceId, block);     // [g, e, B] elements
                            ReadOnlySpan<byte> nextKeys = hasNext ? cache.KeyBytes(_layer, span.SequenceId, block + 1) : keySpan;
                            fixed (byte* kBlock = keySpan)
                            fixed (byte* kNextBlock = nextKeys)
                            {
                                // the next block is elsewhere in the pool: fetch its kv-head slice while this one computes
                                Scores<T>(kBlock + kh * headBytes, e, B, width, q0, q1, q2, q3, scores + g * padded, kTail, hasNext ? kNextBlock + kh * headBytes : null);
                            }
                        }
                        int jMax = SoftmaxRows(scores, width, blocks * padded, blocks * B, baseP, rowPos, valid, runningMax, runningSum, acc, e);
                        for (int g = 0; g < blocks && g * B < jMax; g++)
                        {
                            int block = firstBlock + g, jBlock = Math.Min(B, jMax - g * B);
                            if (widened != null)
                            {
                                AccumulateValues<F32Elements>((byte*)(widened + (long)block * 2 * e * B + e * B), e, e, width, jBlock, scores + g * padded, acc, null, 0);
                                continue;
                            }
                            bool hasNext = block < lastBlock;
                            ReadOnlySpan<byte> valueSpan = cache.ValueBytes(_layer, span.SequenceId, block); // [g, B, e] elements
                            ReadOnlySpan<byte> nextValues = hasNext ? cache.ValueBytes(_layer, span.SequenceId, block + 1) : valueSpan;
                            fixed (byte* vBlock = valueSpan)
                            fixed (byte* vNextBlock = nextValues)
                            {
                                AccumulateValues<T>(vBlock + kh * headBytes, e, e, width, jBlock, scores + g * padded, acc, hasNext ? vNextBlock + kh * headBytes : null, (int)headBytes);
                            }
                        }
                    }
                    for (int r = 0; r < R; r++)
                    {
                        float inv = runningSum[r];
                        float* o = outBase + (long)rowIndex[r] * e;
                        float* a = acc + r * e;
                        int d = 0;
                        for (; d + Lanes <= e; d += Lanes)
                        {
                            (Vector512.Load(a + d) / Vector512.Create(inv)).Store(o + d);
                        }
                        for (; d < e; d++)
                        {
                            o[d] = a[d] / inv;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Online softmax of every row of the pass over the <paramref name="positions"/> positions from <paramref name="baseP"/>
    /// (scores in the first <paramref name="columns"/> columns of each row); returns the most valid positions of a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SoftmaxRows(float* scores /*[R, stride]*/, int stride, int columns, int positions, int baseP, int* rowPos, int* valid, float* runningMax, float* runningSum, float* acc /*[R, e]*/, int e)
    {
        int jMax = 0;
        for (int r = 0; r < RowsPerPass; r++)
        {
            valid[r] = Math.Clamp(rowPos[r] + 1 - baseP, 0, positions);
            jMax = Math.Max(jMax, valid[r]);
            Softmax(scores + r * stride, columns, valid[r], ref runningMax[r], ref runningSum[r], acc + r * e, e);
        }
        return jMax;
    }

    /// <summary>K and V of kv head <paramref name="kh"/> for positions [0, <paramref name="lastPos"/>] of a bf16 sequence, widened into this thread's scratch.</summary>
    private float* Widen(IKvCache cache, int sequenceId, int kh, int lastPos)
    {
        int e = _headDim, B = cache.BlockSize, blocks = lastPos / B + 1, slice = e * B;
        long need = (long)blocks * 2 * slice;
        if (t_widened is null || t_widened.Length < need)
        {
            t_widened = GC.AllocateUninitializedArray<float>(MaxWidenedFloats, pinned: true);   // once per thread, then reused
        }
        float[] w = t_widened;
        int bytes = slice * sizeof(ushort);
        for (int block = 0; block < blocks; block++)
        {
            BFloat16.Widen(MemoryMarshal.Cast<byte, ushort>(cache.KeyBytes(_layer, sequenceId, block).Slice(kh * bytes, bytes)), w.AsSpan(block * 2 * slice, slice));
            BFloat16.Widen(MemoryMarshal.Cast<byte, ushort>(cache.ValueBytes(_layer, sequenceId, block).Slice(kh * bytes, bytes)), w.AsSpan(block * 2 * slice + slice, slice));
        }
        return (float*)Unsafe.AsPointer(ref w[0]);   // pinned array: the pointer stays valid
    }

    /// <summary>scores[r * stride + j] = (q_r · k_j) * scale for the block's B positions (padding lanes up to a multiple of 16 hold garbage).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Scores<T>(byte* kt /*[e, B] elements of T*/, int e, int B, int stride, float* q0, float* q1, float* q2, float* q3, float* scores /*[R, stride]*/, float* kTail, byte* kNext)
        where T : struct, IKvElements
    {
        Vector512<float> scale = Vector512.Create(_scale);
        int prefetched = 0, total = e * B * T.Size;   // bytes of the next block's kv-head slice
        for (int c0 = 0; c0 < B; c0 += Lanes)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            int count = Math.Min(Lanes, B - c0);
            for (int d = 0; d < e; d++)
            {
                if (kNext != null && prefetched < total && Sse.IsSupported)
                {
                    Sse.Prefetch0(kNext + prefetched);
                    prefetched += CacheLine;
                }
                Vector512<float> k;
                if (count == Lanes)
                {
                    k = T.Load16(kt, (nint)d * B + c0);
                }
                else
                {
                    for (int j = 0; j < Lanes; j++)
                    {
                        kTail[j] = j < count ? T.Load(kt, (nint)d * B + c0 + j) : 0f;
                    }
                    k = Vector512.Load(kTail);
                }
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(q0[d]), k, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(q1[d]), k, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(q2[d]), k, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(q3[d]), k, a3);
            }
            (a0 * scale).Store(scores + c0);
            (a1 * scale).Store(scores + stride + c0);
            (a2 * scale).Store(scores + 2 * stride + c0);
            (a3 * scale).Store(scores + 3 * stride + c0);
        }
    }

    /// <summary>
    /// Online softmax update of one row for a group of blocks: the first <paramref name="valid"/> scores become probabilities
    /// (relative to the new running max), the rest exact zeros; the running sum and accumulator are rescaled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: a tier-0 copy (and the BCL exp it calls, not inlined there) ran for minutes in a busy server
    private static void Softmax(float* s /*[padded]*/, int padded, int valid, ref float runningMax, ref float runningSum, float* acc /*[e]*/, int e)
    {
        if (valid == 0)
        {
            new Span<float>(s, padded).Clear();
            return;
        }
        Vector512<float> max = Vector512.Create(float.NegativeInfinity);
        for (int c = 0; c < padded; c += Lanes)
        {
            Vector512<float> v = Vector512.Load(s + c);
            if (c + Lanes > valid)
            {
                v = Vector512.ConditionalSelect(Mask(valid - c), v, Vector512.Create(float.NegativeInfinity));
                v.Store(s + c);
            }
            max = Vector512.Max(max, v);
        }
        float newMax = Math.Max(runningMax, HorizontalMax(max));
        float correction = MathF.Exp(runningMax - newMax);   // 0 on the first block
        Vector512<float> m = Vector512.Create(newMax), sum = Vector512<float>.Zero;
        for (int c = 0; c < padded; c += Lanes)
        {
            Vector512<float> p = Vector512.Exp(Vector512.Load(s + c) - m);
            p.Store(s + c);
            sum += p;
        }
        runningSum = runningSum * correction + Vector512.Sum(sum);
        runningMax = newMax;
        int d = 0;
        Vector512<float> corr = Vector512.Create(correction);
        for (; d + Lanes <= e; d += Lanes)
        {
            (Vector512.Load(acc + d) * corr).Store(acc + d);
        }
        for (; d < e; d++)
        {
            acc[d] *= correction;
        }
    }

    /// <summary>acc[r, :] += Σ_j p[r, j] · V[j, :] for j &lt; jMax (rows past their valid positions hold p = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateValues<T>(byte* v /*[B, stride] elements of T, this kv head*/, int stride, int e, int padded, int jMax, float* p /*[R, padded]*/, float* acc /*[R, e]*/,
        byte* vNext /*[B, e] elements of T, or null*/, int nextBytes)
        where T : struct, IKvElements
    {
        int prefetched = 0;
        float* p0 = p, p1 = p + padded, p2 = p + 2 * padded, p3 = p + 3 * padded;
        float* c0 = acc, c1 = acc + e, c2 = acc + 2 * e, c3 = acc + 3 * e;
        int d = 0;
        for (; d + Lanes <= e; d += Lanes)
        {
            Vector512<float> a0 = Vector512.Load(c0 + d), a1 = Vector512.Load(c1 + d), a2 = Vector512.Load(c2 + d), a3 = Vector512.Load(c3 + d);
            for (int j = 0; j < jMax; j++)
            {
                if (vNext != null && prefetched < nextBytes && Sse.IsSupported)
                {
                    Sse.Prefetch0(vNext + prefetched);
                    prefetched += CacheLine;
                }
                Vector512<float> x = T.Load16(v, (nint)j * stride + d);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(p0[j]), x, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(p1[j]), x, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(p2[j]), x, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(p3[j]), x, a3);
            }
            a0.Store(c0 + d);
            a1.Store(c1 + d);
            a2.Store(c2 + d);
            a3.Store(c3 + d);
        }
        for (; d < e; d++)
        {
            float b0 = c0[d], b1 = c1[d], b2 = c2[d], b3 = c3[d];
            for (int j = 0; j < jMax; j++)
            {
                float x = T.Load(v, (nint)j * stride + d);
                b0 = MathF.FusedMultiplyAdd(p0[j], x, b0);
                b1 = MathF.FusedMultiplyAdd(p1[j], x, b1);
                b2 = MathF.FusedMultiplyAdd(p2[j], x, b2);
                b3 = MathF.FusedMultiplyAdd(p3[j], x, b3);
            }
            c0[d] = b0;
            c1[d] = b1;
            c2[d] = b2;
            c3[d] = b3;
        }
    }

    private static float HorizontalMax(Vector512<float> v)
    {
        Vector256<float> h = Vector256.Max(v.GetLower(), v.GetUpper());
        Vector128<float> q = Vector128.Max(h.GetLower(), h.GetUpper());
        float m = Math.Max(Math.Max(q.GetElement(0), q.GetElement(1)), Math.Max(q.GetElement(2), q.GetElement(3)));
        return m;
    }

    /// <summary>Lanes [0, count) set (count may exceed the width).</summary>
    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(count)).AsSingle();

    /// <summary>How the kernel reads cache elements: 16 at a time widened to f32, or one (tails).</summary>
    private interface IKvElements
    {
        static abstract int Size { get; }

        static abstract Vector512<float> Load16(byte* block, nint index);

        static abstract float Load(byte* block, nint index);
    }

    private readonly struct F32Elements : IKvElements
    {
        public static int Size => sizeof(float);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* block, nint index) => Vector512.Load((float*)block + index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load(byte* block, nint index) => ((float*)block)[index];
    }

    private readonly struct BF16Elements : IKvElements
    {
        public static int Size => sizeof(ushort);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* block, nint index) => BFloat16.Load16((ushort*)block + index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load(byte* block, nint index) => BFloat16.ToSingle(((ushort*)block)[index]);
    }

    private struct Job : IParallelJob
    {
        public nint Self;

        public readonly void Execute(int start, int end) => ((CausalAttention)GCHandle.FromIntPtr(Self).Target!).Run(start, end);
    }
}
