using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Candidate tokens as 64-bit sort keys: the high 32 bits order by logit descending, the low 32 bits are the token id,
/// so an ascending sort of keys is "most likely first, ties by lower id" and needs no comparer (no allocation).
/// Gathering keeps only tokens at or above a threshold, so top-k / top-p / min-p / top-logprobs sort a few candidates
/// instead of the whole vocabulary.
/// </summary>
internal static class CandidateKeys
{
    /// <summary>Sort key of token <paramref name="id"/> with logit <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Make(float x, int id)
    {
        // IEEE-754 bits mapped to an unsigned order that ascends with x, then inverted so larger logits sort first.
        var bits = BitConverter.SingleToUInt32Bits(x);
        var ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)~ascending << 32) | (uint)id;
    }

    /// <summary>Token id of a key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Id(ulong key) => (int)(uint)key;

    /// <summary>
    /// Writes the keys of every token with <c>x[i] &gt;= threshold</c> to <paramref name="keys"/> in id order and
    /// returns how many. NaN logits never qualify.
    /// </summary>
    public static int GatherAtLeast(ReadOnlySpan<float> x /*[vocab]*/, float threshold, Span<ulong> keys /*[vocab]*/)
        => GatherBetween(x, threshold, float.PositiveInfinity, keys, Simd.Best);

    /// <summary><see cref="GatherAtLeast(ReadOnlySpan{float}, float, Span{ulong})"/> on a forced SIMD width (parity tests).</summary>
    internal static int GatherAtLeast(ReadOnlySpan<float> x /*[vocab]*/, float threshold, Span<ulong> keys /*[vocab]*/, SimdWidth width)
        => GatherBetween(x, threshold, float.PositiveInfinity, keys, width);

    /// <summary>Keys (in id order) of the tokens with <c>lower &lt;= x[i] &lt; upper</c>; returns how many.</summary>
    public static int GatherBetween(ReadOnlySpan<float> x /*[vocab]*/, float lower, float upper, Span<ulong> keys /*[vocab]*/)
        => GatherBetween(x, lower, upper, keys, Simd.Best);

    /// <summary><see cref="GatherBetween(ReadOnlySpan{float}, float, float, Span{ulong})"/> on a forced SIMD width (parity tests).</summary>
    internal static int GatherBetween(ReadOnlySpan<float> x /*[vocab]*/, float lower, float upper, Span<ulong> keys /*[vocab]*/, SimdWidth width)
    {
        if (keys.Length < x.Length)
            throw new ArgumentException($"keys ({keys.Length}) must be at least as long as x ({x.Length}).", nameof(keys));
        Simd.Require(width);
        return Simd.ForFloat(width) switch
        {
            SimdWidth.Vector512 => Gather512(x, lower, upper, keys),
            SimdWidth.Vector256 => Gather256(x, lower, upper, keys),
            SimdWidth.Vector128 => Gather128(x, lower, upper, keys),
            _ => GatherScalar(x, 0, lower, upper, keys, 0),
        };
    }

    private static int GatherScalar(ReadOnlySpan<float> x, int start, float lower, float upper, Span<ulong> keys, int count)
    {
        for (var i = start; i < x.Length; i++)
        {
            if (x[i] >= lower && x[i] < upper)
                keys[count++] = Make(x[i], i);
        }
        return count;
    }

    private static int Gather512(ReadOnlySpan<float> x, float lower, float upper, Span<ulong> keys)
    {
        var t = Vector512.Create(lower);
        var u = Vector512.Create(upper);
        int i = 0, count = 0;
        for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
        {
            var v = Vector512.Create(x.Slice(i, Vector512<float>.Count));
            var mask = (Vector512.GreaterThanOrEqual(v, t) & Vector512.LessThan(v, u)).ExtractMostSignificantBits();
            count = Emit(x, i, mask, keys, count);
        }
        return GatherScalar(x, i, lower, upper, keys, count);
    }

    private static int Gather256(ReadOnlySpan<float> x, float lower, float upper, Span<ulong> keys)
    {
        var t = Vector256.Create(lower);
        var u = Vector256.Create(upper);
        int i = 0, count = 0;
        for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
        {
            var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
            var mask = (Vector256.GreaterThanOrEqual(v, t) & Vector256.LessThan(v, u)).ExtractMostSignificantBits();
            count = Emit(x, i, mask, keys, count);
        }
        return GatherScalar(x, i, lower, upper, keys, count);
    }

    private static int Gather128(ReadOnlySpan<float> x, float lower, float upper, Span<ulong> keys)
    {
        var t = Vector128.Create(lower);
        var u = Vector128.Create(upper);
        int i = 0, count = 0;
        for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
        {
            var v = Vector128.Create(x.Slice(i, Vector128<float>.Count));
            var mask = (Vector128.GreaterThanOrEqual(v, t) & Vector128.LessThan(v, u)).ExtractMostSignificantBits();
            count = Emit(x, i, mask, keys, count);
        }
        return GatherScalar(x, i, lower, upper, keys, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Emit(ReadOnlySpan<float> x, int baseIndex, ulong mask, Span<ulong> keys, int count)
    {
        while (mask != 0)
        {
            var lane = BitOperations.TrailingZeroCount(mask);
            keys[count++] = Make(x[baseIndex + lane], baseIndex + lane);
            mask &= mask - 1;
        }
        return count;
    }

    /// <summary>Gaps below the max logit (nats) of the thresholds <see cref="GatherTop"/> tries, four per counting pass.</summary>
    private static readonly float[] Gaps = [0.5f, 1f, 2f, 4f, 6f, 8f, 12f, 16f, 24f, 32f, 48f, 64f];

    /// <summary>
    /// Gathers (unsorted) the keys of a small superset of the <paramref name="k"/> largest logits among those
    /// &gt;= <paramref name="floor"/>: counting passes over a ladder of four thresholds below <paramref name="max"/>
    /// (usually one pass) pick the tightest threshold that still holds k tokens, then one gather pass. Returns the
    /// number gathered (less than k only when fewer than k tokens are &gt;= floor).
    /// </summary>
    public static int GatherTop(ReadOnlySpan<float> x /*[vocab]*/, float max, float floor, int k, Span<ulong> keys /*[vocab]*/)
    {
        Span<float> thresholds = stackalloc float[4];
        Span<int> counts = stackalloc int[4];
        for (var rung = 0; rung < Gaps.Length; rung += 4)
        {
            for (var j = 0; j < 4; j++)
                thresholds[j] = MathF.Max(max - Gaps[rung + j], floor);
            CountAtLeast(x, thresholds, counts);
            for (var j = 0; j < 4; j++)
            {
                if (counts[j] >= k || thresholds[j] == floor)
                    return GatherAtLeast(x, thresholds[j], keys);
            }
        }
        return GatherAtLeast(x, floor, keys);
    }

    /// <summary>For each threshold t[j], counts the entries of x that are &gt;= t[j] (one pass over x).</summary>
    public static void CountAtLeast(ReadOnlySpan<float> x /*[vocab]*/, ReadOnlySpan<float> thresholds /*[t]*/, Span<int> counts /*[t]*/)
        => CountAtLeast(x, thresholds, counts, Simd.Best);

    /// <summary><see cref="CountAtLeast(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{int})"/> on a forced SIMD width (parity tests).</summary>
    internal static void CountAtLeast(ReadOnlySpan<float> x /*[vocab]*/, ReadOnlySpan<float> thresholds /*[t]*/, Span<int> counts /*[t]*/, SimdWidth width)
    {
        if (counts.Length < thresholds.Length)
            throw new ArgumentException($"counts ({counts.Length}) must be at least as long as thresholds ({thresholds.Length}).", nameof(counts));
        Simd.Require(width);
        var i = Simd.ForFloat(width) switch
        {
            SimdWidth.Vector512 => Count512(x, thresholds, counts),
            SimdWidth.Vector256 => Count256(x, thresholds, counts),
            SimdWidth.Vector128 => Count128(x, thresholds, counts),
            _ => ClearCounts(counts, thresholds.Length),
        };
        for (; i < x.Length; i++)
        {
            for (var j = 0; j < thresholds.Length; j++)
                counts[j] += x[i] >= thresholds[j] ? 1 : 0;
        }
    }

    private static int ClearCounts(Span<int> counts, int length)
    {
        counts[..length].Clear();
        return 0;
    }

    private static int Count512(ReadOnlySpan<float> x, ReadOnlySpan<float> thresholds, Span<int> counts)
    {
        var t = thresholds.Length;
        if (t == 4)
        {
            // register accumulators for the common ladder of four
            Vector512<float> t0 = Vector512.Create(thresholds[0]), t1 = Vector512.Create(thresholds[1]), t2 = Vector512.Create(thresholds[2]), t3 = Vector512.Create(thresholds[3]);
            Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
            var k = 0;
            for (; k + Vector512<float>.Count <= x.Length; k += Vector512<float>.Count)
            {
                var v = Vector512.Create(x.Slice(k, Vector512<float>.Count));
                a0 -= Vector512.GreaterThanOrEqual(v, t0).AsInt32();
                a1 -= Vector512.GreaterThanOrEqual(v, t1).AsInt32();
                a2 -= Vector512.GreaterThanOrEqual(v, t2).AsInt32();
                a3 -= Vector512.GreaterThanOrEqual(v, t3).AsInt32();
            }
            (counts[0], counts[1], counts[2], counts[3]) = (Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3));
            return k;
        }
        Span<Vector512<int>> acc = stackalloc Vector512<int>[t];
        Span<Vector512<float>> thr = stackalloc Vector512<float>[t];
        for (var j = 0; j < t; j++) thr[j] = Vector512.Create(thresholds[j]);
        var i = 0;
        for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
        {
            var v = Vector512.Create(x.Slice(i, Vector512<float>.Count));
            for (var j = 0; j < t; j++)
                acc[j] -= Vector512.GreaterThanOrEqual(v, thr[j]).AsInt32(); // true lanes are -1
        }
        for (var j = 0; j < t; j++) counts[j] = Vector512.Sum(acc[j]);
        return i;
    }

    private static int Count256(ReadOnlySpan<float> x, ReadOnlySpan<float> thresholds, Span<int> counts)
    {
        var t = thresholds.Length;
        if (t == 4)
        {
            Vector256<float> t0 = Vector256.Create(thresholds[0]), t1 = Vector256.Create(thresholds[1]), t2 = Vector256.Create(thresholds[2]), t3 = Vector256.Create(thresholds[3]);
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
            var k = 0;
            for (; k + Vector256<float>.Count <= x.Length; k += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(k, Vector256<float>.Count));
                a0 -= Vector256.GreaterThanOrEqual(v, t0).AsInt32();
                a1 -= Vector256.GreaterThanOrEqual(v, t1).AsInt32();
                a2 -= Vector256.GreaterThanOrEqual(v, t2).AsInt32();
                a3 -= Vector256.GreaterThanOrEqual(v, t3).AsInt32();
            }
            (counts[0], counts[1], counts[2], counts[3]) = (Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
            return k;
        }
        Span<Vector256<int>> acc = stackalloc Vector256<int>[t];
        Span<Vector256<float>> thr = stackalloc Vector256<float>[t];
        for (var j = 0; j < t; j++) thr[j] = Vector256.Create(thresholds[j]);
        var i = 0;
        for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
        {
            var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
            for (var j = 0; j < t; j++)
                acc[j] -= Vector256.GreaterThanOrEqual(v, thr[j]).AsInt32();
        }
        for (var j = 0; j < t; j++) counts[j] = Vector256.Sum(acc[j]);
        return i;
    }

    private static int Count128(ReadOnlySpan<float> x, ReadOnlySpan<float> thresholds, Span<int> counts)
    {
        var t = thresholds.Length;
        Span<Vector128<int>> acc = stackalloc Vector128<int>[t];
        Span<Vector128<float>> thr = stackalloc Vector128<float>[t];
        for (var j = 0; j < t; j++) thr[j] = Vector128.Create(thresholds[j]);
        var i = 0;
        for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
        {
            var v = Vector128.Create(x.Slice(i, Vector128<float>.Count));
            for (var j = 0; j < t; j++)
                acc[j] -= Vector128.GreaterThanOrEqual(v, thr[j]).AsInt32();
        }
        for (var j = 0; j < t; j++) counts[j] = Vector128.Sum(acc[j]);
        return i;
    }

    /// <summary>
    /// Top-p cut without a full sort. <paramref name="weights"/>[id] is each candidate's unnormalised probability and
    /// <paramref name="required"/> = top_p × the distribution's mass. Reorders <paramref name="keys"/> and returns m
    /// such that keys[..m] is exactly the nucleus of a descending sort (token kept iff the mass of the tokens ranked
    /// before it is below <paramref name="required"/>; the most likely is always kept). Weighted quickselect: O(n)
    /// expected; the final few candidates are sorted.
    /// </summary>
    public static int NucleusPrefix(Span<ulong> keys, ReadOnlySpan<float> weights /*[vocab]*/, double required)
    {
        int lo = 0, hi = keys.Length;
        var need = required; // mass still needed after keys[..lo] (all kept)
        while (hi - lo > 32)
        {
            var p = Partition(keys, lo, hi);
            double left = 0;
            foreach (var key in keys[lo..p])
                left += weights[Id(key)];
            if (left >= need)
            {
                hi = p;     // the nucleus ends among the more likely part
                continue;
            }
            need -= left + weights[Id(keys[p])];
            if (need <= 0)
                return p + 1;
            lo = p + 1;     // everything up to the pivot is kept
        }
        keys[lo..hi].Sort();
        var m = lo;
        while (m < hi && (m == 0 || need > 0))
            need -= weights[Id(keys[m++])];
        return m;
    }

    /// <summary>Lomuto partition of keys[lo..hi) around a median-of-three pivot; returns the pivot's final index.</summary>
    private static int Partition(Span<ulong> keys, int lo, int hi)
    {
        int last = hi - 1, mid = lo + ((hi - lo) >> 1);
        if (keys[mid] < keys[lo]) (keys[mid], keys[lo]) = (keys[lo], keys[mid]);
        if (keys[last] < keys[lo]) (keys[last], keys[lo]) = (keys[lo], keys[last]);
        if (keys[mid] < keys[last]) (keys[mid], keys[last]) = (keys[last], keys[mid]); // median now at last
        var pivot = keys[last];
        var store = lo;
        for (var i = lo; i < last; i++)
        {
            if (keys[i] < pivot)
            {
                (keys[i], keys[store]) = (keys[store], keys[i]);
                store++;
            }
        }
        (keys[store], keys[last]) = (keys[last], keys[store]);
        return store;
    }

    /// <summary>
    /// Reorders <paramref name="keys"/> so its first <paramref name="k"/> entries are the k smallest keys (the k most
    /// likely tokens), in no particular order: quickselect with a median-of-three pivot, O(n) on average.
    /// </summary>
    public static void SelectSmallest(Span<ulong> keys, int k)
    {
        if (k <= 0 || k >= keys.Length)
            return;
        int lo = 0, hi = keys.Length - 1, target = k - 1;
        while (hi > lo)
        {
            var mid = lo + ((hi - lo) >> 1);
            // median of three moved to keys[mid]
            if (keys[mid] < keys[lo]) (keys[mid], keys[lo]) = (keys[lo], keys[mid]);
            if (keys[hi] < keys[lo]) (keys[hi], keys[lo]) = (keys[lo], keys[hi]);
            if (keys[hi] < keys[mid]) (keys[hi], keys[mid]) = (keys[mid], keys[hi]);
            var pivot = keys[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot) i++;
                while (keys[j] > pivot) j--;
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }
            // [lo, j] <= pivot, [i, hi] >= pivot, (j, i) == pivot
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return;
        }
    }
}
