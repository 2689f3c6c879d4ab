using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// Quantizes activation rows to Q8 blocks for the int8 dot products: per block of 32, d = amax / 127 (kept as f32,
/// not rounded to f16) and q = round(x · (1 / d)) with ties to even, the rounding every SIMD path uses, so all
/// paths give bit-identical quants.
/// </summary>
internal static unsafe class Q8Activations
{
    /// <summary>Quantizes one row x [k] (k % 32 == 0) into quants [k] and scales [k / 32] on the given width.</summary>
    public static void QuantizeRow(float* x /*[k]*/, int k, sbyte* q /*[k]*/, float* d /*[k / 32]*/, SimdWidth width)
    {
        switch (width)
        {
            case SimdWidth.Vector512: QuantizeRow512(x, k, q, d); break;
            case SimdWidth.Vector256: QuantizeRow256(x, k, q, d); break;
            case SimdWidth.Vector128: QuantizeRow128(x, k, q, d); break;
            default: QuantizeRowScalar(x, k, q, d); break;
        }
    }

    /// <summary>Scalar reference for one row.</summary>
    public static void QuantizeRowScalar(float* x /*[k]*/, int k, sbyte* q /*[k]*/, float* d /*[k / 32]*/)
    {
        for (int b = 0; b < k / Q8_0.BlockSize; b++)
        {
            float* xb = x + b * Q8_0.BlockSize;
            float amax = 0f;
            for (int i = 0; i < Q8_0.BlockSize; i++)
            {
                amax = MathF.Max(amax, MathF.Abs(xb[i]));
            }
            float inverse = Inverse(amax, out d[b]);
            for (int i = 0; i < Q8_0.BlockSize; i++)
            {
                q[b * Q8_0.BlockSize + i] = (sbyte)MathF.Round(xb[i] * inverse, MidpointRounding.ToEven);
            }
        }
    }

    private static float Inverse(float amax, out float scale)
    {
        scale = amax / 127f;
        return scale != 0f ? 1f / scale : 0f;
    }

    private static float MaxAcross(Vector128<float> v)
        => MathF.Max(MathF.Max(v.GetElement(0), v.GetElement(1)), MathF.Max(v.GetElement(2), v.GetElement(3)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    internal static void QuantizeRow512(float* x, int k, sbyte* q, float* d)
    {
        for (int b = 0; b < k / Q8_0.BlockSize; b++)
        {
            float* xb = x + b * Q8_0.BlockSize;
            Vector512<float> v0 = Vector512.Load(xb), v1 = Vector512.Load(xb + 16);
            Vector512<float> m = Vector512.MaxNative(Vector512.Abs(v0), Vector512.Abs(v1));
            Vector256<float> m8 = Vector256.MaxNative(m.GetLower(), m.GetUpper());
            float inverse = Inverse(MaxAcross(Vector128.MaxNative(m8.GetLower(), m8.GetUpper())), out d[b]);
            Vector512<float> s = Vector512.Create(inverse);
            Vector512<int> i0 = Vector512.ConvertToInt32(Vector512.Round(v0 * s)), i1 = Vector512.ConvertToInt32(Vector512.Round(v1 * s));
            Vector512<short> s16 = Vector512.Narrow(i0, i1);
            Vector512.Narrow(s16, s16).GetLower().Store(q + b * Q8_0.BlockSize);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    internal static void QuantizeRow256(float* x, int k, sbyte* q, float* d)
    {
        for (int b = 0; b < k / Q8_0.BlockSize; b++)
        {
            float* xb = x + b * Q8_0.BlockSize;
            Vector256<float> v0 = Vector256.Load(xb), v1 = Vector256.Load(xb + 8), v2 = Vector256.Load(xb + 16), v3 = Vector256.Load(xb + 24);
            Vector256<float> m = Vector256.MaxNative(Vector256.MaxNative(Vector256.Abs(v0), Vector256.Abs(v1)), Vector256.MaxNative(Vector256.Abs(v2), Vector256.Abs(v3)));
            float inverse = Inverse(MaxAcross(Vector128.MaxNative(m.GetLower(), m.GetUpper())), out d[b]);
            Vector256<float> s = Vector256.Create(inverse);
            Vector256<short> lo = Vector256.Narrow(Vector256.ConvertToInt32(Vector256.Round(v0 * s)), Vector256.ConvertToInt32(Vector256.Round(v1 * s)));
            Vector256<short> hi = Vector256.Narrow(Vector256.ConvertToInt32(Vector256.Round(v2 * s)), Vector256.ConvertToInt32(Vector256.Round(v3 * s)));
            Vector256.Narrow(lo, hi).Store(q + b * Q8_0.BlockSize);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    internal static void QuantizeRow128(float* x, int k, sbyte* q, float* d)
    {
        for (int b = 0; b < k / Q8_0.BlockSize; b++)
        {
            float* xb = x + b * Q8_0.BlockSize;
            Vector128<float> m = Vector128<float>.Zero;
            for (int i = 0; i < Q8_0.BlockSize; i += 4)
            {
                m = Vector128.MaxNative(m, Vector128.Abs(Vector128.Load(xb + i)));
            }
            float inverse = Inverse(MaxAcross(m), out d[b]);
            Vector128<float> s = Vector128.Create(inverse);
            for (int i = 0; i < Q8_0.BlockSize; i += 16)
            {
                Vector128<short> lo = Vector128.Narrow(Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + i) * s)), Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + i + 4) * s)));
                Vector128<short> hi = Vector128.Narrow(Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + i + 8) * s)), Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + i + 12) * s)));
                Vector128.Narrow(lo, hi).Store(q + b * Q8_0.BlockSize + i);
            }
        }
    }
}
