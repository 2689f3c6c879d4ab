using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmSuite.Engine.Tensors;

/// <summary>f16 bits to f32 four at a time without F16C intrinsics (.NET exposes none): exact for every finite half.</summary>
internal static unsafe class HalfVector
{
    /// <summary>Converts 4 f16 values (finite; inf/NaN are rejected on load) to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load4(ushort* h)
    {
        Vector128<uint> v = Sse41.ConvertToVector128Int32(h).AsUInt32();
        Vector128<uint> sign = (v & Vector128.Create(0x8000u)) << 16;
        // exponent+mantissa moved to float position, then rebias by 2^112 (also exact for subnormal halves)
        Vector128<float> magnitude = ((v & Vector128.Create(0x7FFFu)) << 13).AsSingle() * Vector128.Create(0x7780_0000u).AsSingle(); // 2^112
        return (magnitude.AsUInt32() | sign).AsSingle();
    }

    /// <summary>Converts 8 f16 values (finite) to float with AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(ushort* h)
    {
        Vector256<uint> v = Avx2.ConvertToVector256Int32(h).AsUInt32();
        Vector256<uint> sign = (v & Vector256.Create(0x8000u)) << 16;
        Vector256<float> magnitude = ((v & Vector256.Create(0x7FFFu)) << 13).AsSingle() * Vector256.Create(0x7780_0000u).AsSingle(); // 2^112
        return (magnitude.AsUInt32() | sign).AsSingle();
    }

    /// <summary>One f16 to float with the same bit trick, inlined (no call inside kernel loops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scalar(ushort h)
    {
        uint sign = (uint)(h & 0x8000) << 16;
        float magnitude = BitConverter.UInt32BitsToSingle((uint)(h & 0x7FFF) << 13) * BitConverter.UInt32BitsToSingle(0x7780_0000u); // 2^112
        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(magnitude) | sign);
    }

    /// <summary>Reference conversion (the runtime's software Half), for scalar reference kernels and tests.</summary>
    public static float Reference(ushort h) => (float)BitConverter.UInt16BitsToHalf(h);
}
