using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// bfloat16 (the upper 16 bits of an IEEE f32) to and from float. Narrowing rounds to nearest, ties to even; NaN stays
/// NaN (quieted, sign kept); ±inf and ±0 are exact. Widening is exact (a shift into the high half).
/// </summary>
internal static unsafe class BFloat16
{
    /// <summary>f32 to bf16 bits, round to nearest even (the scalar reference of <see cref="Narrow"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return (ushort)((bits >> 16) | 0x0040u);   // NaN: keep sign and top payload, force quiet so it cannot become inf
        }
        // add 0x7FFF plus the lowest kept bit: rounds up above half, and at exactly half only when that bit is odd
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>bf16 bits to f32 (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>16 bf16 values at <paramref name="source"/> widened to f32 (Vector256&lt;ushort&gt; → Vector512&lt;uint&gt; &lt;&lt; 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load16(ushort* source)
    {
        if (Avx512F.IsSupported)
        {
            return Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Vector256.Load(source)), 16).AsSingle();
        }
        Vector256<ushort> v = Vector256.Load(source);
        return (Vector512.Create(Vector256.WidenLower(v), Vector256.WidenUpper(v)) << 16).AsSingle();
    }

    /// <summary>destination[i] = bf16(source[i]) for every element (Vector512 when accelerated, else scalar).</summary>
    public static void Narrow(ReadOnlySpan<float> source /*[n]*/, Span<ushort> destination /*[n]*/)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} values, the source {source.Length}", nameof(destination));
        }
        int i = 0;
        fixed (float* s = source)
        fixed (ushort* d = destination)
        {
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            {
                for (; i + 16 <= source.Length; i += 16)
                {
                    Avx512F.ConvertToVector256UInt16(Narrow16(Vector512.Load(s + i))).Store(d + i);
                }
            }
            for (; i < source.Length; i++)
            {
                d[i] = FromSingle(s[i]);
            }
        }
    }

    /// <summary>destination[i] = f32(source[i]) for every element.</summary>
    public static void Widen(ReadOnlySpan<ushort> source /*[n]*/, Span<float> destination /*[n]*/)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} values, the source {source.Length}", nameof(destination));
        }
        int i = 0;
        fixed (ushort* s = source)
        fixed (float* d = destination)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i + 16 <= source.Length; i += 16)
                {
                    Load16(s + i).Store(d + i);
                }
            }
            for (; i < source.Length; i++)
            {
                d[i] = ToSingle(s[i]);
            }
        }
    }

    /// <summary>16 floats to bf16 bits in the low half of each 32-bit lane (same rounding as <see cref="FromSingle"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Narrow16(Vector512<float> value)
    {
        Vector512<uint> bits = value.AsUInt32();
        Vector512<uint> rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One)) >> 16;
        Vector512<uint> quietNaN = (bits >> 16) | Vector512.Create(0x0040u);
        Vector512<uint> isNaN = Vector512.GreaterThan(bits & Vector512.Create(0x7FFF_FFFFu), Vector512.Create(0x7F80_0000u));
        return Vector512.ConditionalSelect(isNaN, quietNaN, rounded);
    }
}
