using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Vocabulary-wide passes of the sampler: max (NaN-aware), first index of the max, and a fused
/// <c>dst = exp(x - max)</c> with its sum. Vector512 → Vector256 → Vector128 → scalar; the scalar paths are the
/// references the parity tests compare against. The vector exp is a Cody-Waite range reduction plus a degree-6
/// polynomial (Cephes expf), within a few ulp of <see cref="MathF.Exp"/> and several times faster than the
/// double-precision exp of TensorPrimitives; sampling only needs relative accuracy ~1e-6.
/// </summary>
internal static class SamplingKernels
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float MinArgument = -87.3f;           // exp below this is flushed to 0 (no denormals)
    private const float RoundMagic = 12582912f;          // 1.5 * 2^23: adding it rounds to an integer

    /// <summary>Largest element; NaN when any element is NaN; -infinity when empty.</summary>
    public static float Max(ReadOnlySpan<float> x /*[n]*/) => Max(x, Simd.Best);

    /// <summary><see cref="Max(ReadOnlySpan{float})"/> on a forced SIMD width (parity tests).</summary>
    internal static float Max(ReadOnlySpan<float> x /*[n]*/, SimdWidth width)
    {
        Simd.Require(width);
        var max = float.NegativeInfinity;
        var i = 0;
        var nan = false;
        switch (Simd.ForFloat(width))
        {
            case SimdWidth.Vector512 when x.Length >= Vector512<float>.Count:
            {
                Vector512<float> m = Vector512.Create(float.NegativeInfinity), bad = Vector512<float>.Zero;
                for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
                {
                    var v = Vector512.Create(x.Slice(i, Vector512<float>.Count));
                    m = Vector512.MaxNative(m, v);
                    bad |= ~Vector512.Equals(v, v);
                }
                nan = bad != Vector512<float>.Zero;
                var half = Vector256.Max(m.GetLower(), m.GetUpper());
                max = Across(Vector128.Max(half.GetLower(), half.GetUpper()));
                break;
            }
            case SimdWidth.Vector256 or SimdWidth.Vector512 when x.Length >= Vector256<float>.Count:
            {
                Vector256<float> m = Vector256.Create(float.NegativeInfinity), bad = Vector256<float>.Zero;
                for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
                {
                    var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                    m = Vector256.MaxNative(m, v);
                    bad |= ~Vector256.Equals(v, v);
                }
                nan = bad != Vector256<float>.Zero;
                max = Across(Vector128.Max(m.GetLower(), m.GetUpper()));
                break;
            }
            case SimdWidth.Vector128 or SimdWidth.Vector256 or SimdWidth.Vector512 when x.Length >= Vector128<float>.Count:
            {
                Vector128<float> m = Vector128.Create(float.NegativeInfinity), bad = Vector128<float>.Zero;
                for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
                {
                    var v = Vector128.Create(x.Slice(i, Vector128<float>.Count));
                    m = Vector128.MaxNative(m, v);
                    bad |= ~Vector128.Equals(v, v);
                }
                nan = bad != Vector128<float>.Zero;
                max = Across(m);
                break;
            }
        }
        for (; i < x.Length; i++)
        {
            var v = x[i];
            nan |= float.IsNaN(v);
            max = v > max ? v : max;
        }
        return nan ? float.NaN : max;
    }

    /// <summary>x[i] /= divisor in place (IEEE division, as vLLM's <c>logits.div_(temperature)</c>) and returns the new max (NaN if any NaN).</summary>
    public static float DivideAndMax(Span<float> x /*[n]*/, float divisor) => DivideAndMax(x, divisor, Simd.Best);

    /// <summary><see cref="DivideAndMax(Span{float}, float)"/> on a forced SIMD width (parity tests).</summary>
    internal static float DivideAndMax(Span<float> x /*[n]*/, float divisor, SimdWidth width)
    {
        Simd.Require(width);
        var i = 0;
        var max = float.NegativeInfinity;
        var nan = false;
        switch (Simd.ForFloat(width))
        {
            case SimdWidth.Vector512:
            {
                Vector512<float> m = Vector512.Create(float.NegativeInfinity), bad = Vector512<float>.Zero, d = Vector512.Create(divisor);
                for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
                {
                    var v = Vector512.Create(x.Slice(i, Vector512<float>.Count)) / d;
                    v.CopyTo(x.Slice(i, Vector512<float>.Count));
                    m = Vector512.MaxNative(m, v);
                    bad |= ~Vector512.Equals(v, v);
                }
                nan = bad != Vector512<float>.Zero;
                var half = Vector256.Max(m.GetLower(), m.GetUpper());
                max = Across(Vector128.Max(half.GetLower(), half.GetUpper()));
                break;
            }
            case SimdWidth.Vector256:
            {
                Vector256<float> m = Vector256.Create(float.NegativeInfinity), bad = Vector256<float>.Zero, d = Vector256.Create(divisor);
                for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
                {
                    var v = Vector256.Create(x.Slice(i, Vector256<float>.Count)) / d;
                    v.CopyTo(x.Slice(i, Vector256<float>.Count));
                    m = Vector256.MaxNative(m, v);
                    bad |= ~Vector256.Equals(v, v);
                }
                nan = bad != Vector256<float>.Zero;
                max = Across(Vector128.Max(m.GetLower(), m.GetUpper()));
                break;
            }
            case SimdWidth.Vector128:
            {
                Vector128<float> m = Vector128.Create(float.NegativeInfinity), bad = Vector128<float>.Zero, d = Vector128.Create(divisor);
                for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
                {
                    var v = Vector128.Create(x.Slice(i, Vector128<float>.Count)) / d;
                    v.CopyTo(x.Slice(i, Vector128<float>.Count));
                    m = Vector128.MaxNative(m, v);
                    bad |= ~Vector128.Equals(v, v);
                }
                nan = bad != Vector128<float>.Zero;
                max = Across(m);
                break;
            }
        }
        for (; i < x.Length; i++)
        {
            var v = x[i] /= divisor;
            nan |= float.IsNaN(v);
            max = v > max ? v : max;
        }
        return nan ? float.NaN : max;
    }

    private static float Across(Vector128<float> v) => MathF.Max(MathF.Max(v.GetElement(0), v.GetElement(1)), MathF.Max(v.GetElement(2), v.GetElement(3)));

    /// <summary>Index of the first largest element (ties: lowest index); the first NaN's index when there is one; -1 when empty.</summary>
    public static int ArgMax(ReadOnlySpan<float> x /*[n]*/) => ArgMax(x, Simd.Best);

    /// <summary><see cref="ArgMax(ReadOnlySpan{float})"/> on a forced SIMD width (parity tests).</summary>
    internal static int ArgMax(ReadOnlySpan<float> x /*[n]*/, SimdWidth width)
    {
        if (x.IsEmpty)
            return -1;
        var max = Max(x, width);
        if (float.IsNaN(max))
        {
            for (var j = 0; j < x.Length; j++)
            {
                if (float.IsNaN(x[j]))
                    return j;
            }
        }
        var i = 0;
        switch (Simd.ForFloat(width))
        {
            case SimdWidth.Vector512:
            {
                var m = Vector512.Create(max);
                for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
                {
                    var mask = Vector512.Equals(Vector512.Create(x.Slice(i, Vector512<float>.Count)), m).ExtractMostSignificantBits();
                    if (mask != 0)
                        return i + BitOperations.TrailingZeroCount(mask);
                }
                break;
            }
            case SimdWidth.Vector256:
            {
                var m = Vector256.Create(max);
                for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
                {
                    var mask = Vector256.Equals(Vector256.Create(x.Slice(i, Vector256<float>.Count)), m).ExtractMostSignificantBits();
                    if (mask != 0)
                        return i + BitOperations.TrailingZeroCount(mask);
                }
                break;
            }
            case SimdWidth.Vector128:
            {
                var m = Vector128.Create(max);
                for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
                {
                    var mask = Vector128.Equals(Vector128.Create(x.Slice(i, Vector128<float>.Count)), m).ExtractMostSignificantBits();
                    if (mask != 0)
                        return i + BitOperations.TrailingZeroCount(mask);
                }
                break;
            }
        }
        for (; i < x.Length; i++)
        {
            if (x[i] == max)
                return i;
        }
        return 0; // unreachable: max is an element
    }

    /// <summary>dst[i] = exp(x[i] - max) for x[i] &lt;= max (0 below max - 87.3 and for -infinity); returns the sum.</summary>
    public static double ExpShifted(ReadOnlySpan<float> x /*[n]*/, float max, Span<float> dst /*[n]*/) => ExpShifted(x, max, dst, Simd.Best);

    /// <summary><see cref="ExpShifted(ReadOnlySpan{float}, float, Span{float})"/> on a forced SIMD width (parity tests).</summary>
    internal static double ExpShifted(ReadOnlySpan<float> x /*[n]*/, float max, Span<float> dst /*[n]*/, SimdWidth width)
    {
        if (dst.Length < x.Length)
            throw new ArgumentException($"dst ({dst.Length}) must be at least as long as x ({x.Length}).", nameof(dst));
        Simd.Require(width);
        double sum = 0;
        var i = 0;
        switch (Simd.ForFloat(width))
        {
            case SimdWidth.Vector512:
            {
                var m = Vector512.Create(max);
                var acc = Vector512<float>.Zero;
                for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
                {
                    var e = Exp512(Vector512.Create(x.Slice(i, Vector512<float>.Count)) - m);
                    e.CopyTo(dst.Slice(i, Vector512<float>.Count));
                    acc += e;
                }
                sum = Vector512.Sum(acc);
                break;
            }
            case SimdWidth.Vector256:
            {
                var m = Vector256.Create(max);
                var acc = Vector256<float>.Zero;
                for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
                {
                    var e = Exp256(Vector256.Create(x.Slice(i, Vector256<float>.Count)) - m);
                    e.CopyTo(dst.Slice(i, Vector256<float>.Count));
                    acc += e;
                }
                sum = Vector256.Sum(acc);
                break;
            }
            case SimdWidth.Vector128:
            {
                var m = Vector128.Create(max);
                var acc = Vector128<float>.Zero;
                for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
                {
                    var e = Exp128(Vector128.Create(x.Slice(i, Vector128<float>.Count)) - m);
                    e.CopyTo(dst.Slice(i, Vector128<float>.Count));
                    acc += e;
                }
                sum = Vector128.Sum(acc);
                break;
            }
        }
        for (; i < x.Length; i++)
        {
            var d = x[i] - max;
            var e = d < MinArgument ? 0f : MathF.Exp(d);
            dst[i] = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>Sum of weights[i] over the entries with x[i] &gt;= threshold, and their count (one pass).</summary>
    public static double MassAtLeast(ReadOnlySpan<float> x /*[n]*/, ReadOnlySpan<float> weights /*[n]*/, float threshold, out int count)
        => MassAtLeast(x, weights, threshold, out count, Simd.Best);

    /// <summary><see cref="MassAtLeast(ReadOnlySpan{float}, ReadOnlySpan{float}, float, out int)"/> on a forced SIMD width (parity tests).</summary>
    internal static double MassAtLeast(ReadOnlySpan<float> x /*[n]*/, ReadOnlySpan<float> weights /*[n]*/, float threshold, out int count, SimdWidth width)
    {
        if (weights.Length < x.Length)
            throw new ArgumentException($"weights ({weights.Length}) must be at least as long as x ({x.Length}).", nameof(weights));
        Simd.Require(width);
        double mass = 0;
        count = 0;
        var i = 0;
        switch (Simd.ForFloat(width))
        {
            case SimdWidth.Vector512:
            {
                var t = Vector512.Create(threshold);
                var sum = Vector512<float>.Zero;
                var n = Vector512<int>.Zero;
                for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
                {
                    var mask = Vector512.GreaterThanOrEqual(Vector512.Create(x.Slice(i, Vector512<float>.Count)), t);
                    sum += Vector512.Create(weights.Slice(i, Vector512<float>.Count)) & mask;
                    n -= mask.AsInt32();
                }
                (mass, count) = (Vector512.Sum(sum), Vector512.Sum(n));
                break;
            }
            case SimdWidth.Vector256:
            {
                var t = Vector256.Create(threshold);
                var sum = Vector256<float>.Zero;
                var n = Vector256<int>.Zero;
                for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
                {
                    var mask = Vector256.GreaterThanOrEqual(Vector256.Create(x.Slice(i, Vector256<float>.Count)), t);
                    sum += Vector256.Create(weights.Slice(i, Vector256<float>.Count)) & mask;
                    n -= mask.AsInt32();
                }
                (mass, count) = (Vector256.Sum(sum), Vector256.Sum(n));
                break;
            }
            case SimdWidth.Vector128:
            {
                var t = Vector128.Create(threshold);
                var sum = Vector128<float>.Zero;
                var n = Vector128<int>.Zero;
                for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
                {
                    var mask = Vector128.GreaterThanOrEqual(Vector128.Create(x.Slice(i, Vector128<float>.Count)), t);
                    sum += Vector128.Create(weights.Slice(i, Vector128<float>.Count)) & mask;
                    n -= mask.AsInt32();
                }
                (mass, count) = (Vector128.Sum(sum), Vector128.Sum(n));
                break;
            }
        }
        for (; i < x.Length; i++)
        {
            if (x[i] >= threshold)
            {
                mass += weights[i];
                count++;
            }
        }
        return mass;
    }

    // exp(r + n ln2) = 2^n exp(r), |r| <= ln2 / 2; 2^n is built in the exponent bits (n in [-126, 0] here).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp512(Vector512<float> d)
    {
        var clamped = Vector512.Max(d, Vector512.Create(MinArgument));
        var t = Vector512.FusedMultiplyAdd(clamped, Vector512.Create(Log2E), Vector512.Create(RoundMagic));
        var n = t - Vector512.Create(RoundMagic);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.9875691500E-4f), r, Vector512.Create(1.3981999507E-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073E-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894E-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459E-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201E-1f));
        var y = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512.Create(1f);
        var scale = ((t.AsInt32() - Vector512.Create(RoundMagic).AsInt32() + Vector512.Create(127)) << 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(d, Vector512.Create(MinArgument)), Vector512<float>.Zero, y * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp256(Vector256<float> d)
    {
        var clamped = Vector256.Max(d, Vector256.Create(MinArgument));
        var t = Vector256.FusedMultiplyAdd(clamped, Vector256.Create(Log2E), Vector256.Create(RoundMagic));
        var n = t - Vector256.Create(RoundMagic);
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(1.9875691500E-4f), r, Vector256.Create(1.3981999507E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894E-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459E-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201E-1f));
        var y = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256.Create(1f);
        var scale = ((t.AsInt32() - Vector256.Create(RoundMagic).AsInt32() + Vector256.Create(127)) << 23).AsSingle();
        return Vector256.ConditionalSelect(Vector256.LessThan(d, Vector256.Create(MinArgument)), Vector256<float>.Zero, y * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Exp128(Vector128<float> d)
    {
        var clamped = Vector128.Max(d, Vector128.Create(MinArgument));
        var t = Vector128.FusedMultiplyAdd(clamped, Vector128.Create(Log2E), Vector128.Create(RoundMagic));
        var n = t - Vector128.Create(RoundMagic);
        var r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Hi), clamped);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Lo), r);
        var p = Vector128.FusedMultiplyAdd(Vector128.Create(1.9875691500E-4f), r, Vector128.Create(1.3981999507E-3f));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(8.3334519073E-3f));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(4.1665795894E-2f));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.6666665459E-1f));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(5.0000001201E-1f));
        var y = Vector128.FusedMultiplyAdd(p, r * r, r) + Vector128.Create(1f);
        var scale = ((t.AsInt32() - Vector128.Create(RoundMagic).AsInt32() + Vector128.Create(127)) << 23).AsSingle();
        return Vector128.ConditionalSelect(Vector128.LessThan(d, Vector128.Create(MinArgument)), Vector128<float>.Zero, y * scale);
    }
}
