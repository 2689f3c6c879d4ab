using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

/// <summary>Root-mean-square layer norm: y = x / sqrt(mean(x²) + eps) * weight, row by row.</summary>
public static class RmsNorm
{
    /// <summary>Normalizes each of the m rows of x (row length d = weight.Length) into y; y may alias x.</summary>
    public static void Forward(ReadOnlySpan<float> x /*[m, d]*/, ReadOnlySpan<float> weight /*[d]*/, float eps, Span<float> y /*[m, d]*/)
        => Forward(x, weight, eps, y, Simd.Best);

    /// <summary>Forward on a forced SIMD width (parity tests).</summary>
    internal static unsafe void Forward(ReadOnlySpan<float> x /*[m, d]*/, ReadOnlySpan<float> weight /*[d]*/, float eps, Span<float> y /*[m, d]*/, SimdWidth width)
    {
        int d = weight.Length;
        if (d == 0)
        {
            throw new ArgumentException("RmsNorm weight is empty", nameof(weight));
        }
        if (x.Length % d != 0 || y.Length != x.Length)
        {
            throw new ArgumentException($"RmsNorm: x ({x.Length}) must be a whole number of rows of d={d} and y ({y.Length}) the same size");
        }
        Simd.Require(width);
        fixed (float* px = x)
        fixed (float* pw = weight)
        fixed (float* py = y)
        {
            for (int row = 0; row < x.Length / d; row++)
            {
                float* xr = px + (nint)row * d, yr = py + (nint)row * d;
                switch (Simd.ForFloat(width))
                {
                    case SimdWidth.Vector512: Row<Vec512, Vector512<float>>(xr, pw, eps, yr, d); break;
                    case SimdWidth.Vector256: Row<Vec256, Vector256<float>>(xr, pw, eps, yr, d); break;
                    case SimdWidth.Vector128: Row<Vec128, Vector128<float>>(xr, pw, eps, yr, d); break;
                    default: RowScalar(new ReadOnlySpan<float>(xr, d), weight, eps, new Span<float>(yr, d)); break;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Row<T, TV>(float* x /*[d]*/, float* w /*[d]*/, float eps, float* y /*[d]*/, int d) where T : IVecOps<TV> where TV : struct
    {
        TV a0 = T.Create(0f), a1 = T.Create(0f);
        int i = 0;
        for (; i + 2 * T.Count <= d; i += 2 * T.Count)
        {
            TV v0 = T.Load(x + i), v1 = T.Load(x + i + T.Count);
            a0 = T.Fma(v0, v0, a0);
            a1 = T.Fma(v1, v1, a1);
        }
        for (; i + T.Count <= d; i += T.Count)
        {
            TV v = T.Load(x + i);
            a0 = T.Fma(v, v, a0);
        }
        double sum = T.Sum(T.Add(a0, a1));
        for (; i < d; i++)
        {
            sum += (double)x[i] * x[i];
        }
        float scale = (float)(1.0 / Math.Sqrt(sum / d + eps));
        TV s = T.Create(scale);
        i = 0;
        for (; i + T.Count <= d; i += T.Count)
        {
            T.Store(T.Mul(T.Mul(T.Load(x + i), s), T.Load(w + i)), y + i);
        }
        for (; i < d; i++)
        {
            y[i] = x[i] * scale * w[i];
        }
    }

    /// <summary>Scalar reference for one row (sum of squares in double).</summary>
    internal static void RowScalar(ReadOnlySpan<float> x /*[d]*/, ReadOnlySpan<float> weight /*[d]*/, float eps, Span<float> y /*[d]*/)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (double)x[i] * x[i];
        }
        float scale = (float)(1.0 / Math.Sqrt(sum / x.Length + eps));
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * scale * weight[i];
        }
    }
}
