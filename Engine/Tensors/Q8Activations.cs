namespace LlmSuite.Engine.Tensors;

/// <summary>
/// Quantizes activation rows to Q8 blocks for the int8 dot products: per block of 32, d = amax / 127 (kept as f32,
/// not rounded to f16) and q = round(x / d) with ties to even (the rounding the SIMD paths use).
/// </summary>
internal static unsafe class Q8Activations
{
    /// <summary>Scalar reference for one row: x [k] to quants [k] and scales [k / 32].</summary>
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
            float scale = amax / 127f;
            float inverse = scale != 0f ? 1f / scale : 0f;
            for (int i = 0; i < Q8_0.BlockSize; i++)
            {
                q[b * Q8_0.BlockSize + i] = (sbyte)MathF.Round(xb[i] * inverse);
            }
            d[b] = scale;
        }
    }
}
