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
        => GatherAtLeast(x, threshold, keys, Simd.Best);

    /// <summary><see cref="GatherAtLeast(ReadOnlySpan{float}, float, Span{ulong})"/> on a forced SIMD width (parity tests).</summary>
    internal static int GatherAtLeast(ReadOnlySpan<float> x /*[vocab]*/, float threshold, Span<ulong> keys /*[vocab]*/, SimdWidth width)
    {
        if (keys.Length < x.Length)
            throw new ArgumentException($"keys ({keys.Length}) must be at least as long as x ({x.Length}).", nameof(keys));
        Simd.Require(width);
        return Simd.ForFloat(width) switch
        {
            SimdWidth.Vector512 => Gather512(x, threshold, keys),
            SimdWidth.Vector256 => Gather256(x, threshold, keys),
            SimdWidth.Vector128 => Gather128(x, threshold, keys),
            _ => GatherScalar(x, 0, threshold, keys, 0),
        };
    }

    private static int GatherScalar(ReadOnlySpan<float> x, int start, float threshold, Span<ulong> keys, int count)
    {
        for (var i = start; i < x.Length; i++)
        {
            if (x[i] >= threshold)
                keys[count++] = Make(x[i], i);
        }
        return count;
    }

    private static int Gather512(ReadOnlySpan<float> x, float threshold, Span<ulong> keys)
    {
        var t = Vector512.Create(threshold);
        int i = 0, count = 0;
        for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
        {
            var mask = Vector512.GreaterThanOrEqual(Vector512.Create(x.Slice(i, Vector512<float>.Count)), t).ExtractMostSignificantBits();
            count = Emit(x, i, mask, keys, count);
        }
        return GatherScalar(x, i, threshold, keys, count);
    }

    private static int Gather256(ReadOnlySpan<float> x, float threshold, Span<ulong> keys)
    {
        var t = Vector256.Create(threshold);
        int i = 0, count = 0;
        for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
        {
            var mask = Vector256.GreaterThanOrEqual(Vector256.Create(x.Slice(i, Vector256<float>.Count)), t).ExtractMostSignificantBits();
            count = Emit(x, i, mask, keys, count);
        }
        return GatherScalar(x, i, threshold, keys, count);
    }

    private static int Gather128(ReadOnlySpan<float> x, float threshold, Span<ulong> keys)
    {
        var t = Vector128.Create(threshold);
        int i = 0, count = 0;
        for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
        {
            var mask = Vector128.GreaterThanOrEqual(Vector128.Create(x.Slice(i, Vector128<float>.Count)), t).ExtractMostSignificantBits();
            count = Emit(x, i, mask, keys, count);
        }
        return GatherScalar(x, i, threshold, keys, count);
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
