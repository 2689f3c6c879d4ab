using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

/// <summary>Numerically safe softmax: the max is subtracted before exponentiating, so large logits never overflow.</summary>
public static class Softmax
{
    /// <summary>x = exp(x - max) / sum(exp(x - max)), in place. Empty input is a no-op.</summary>
    public static void InPlace(Span<float> x /*[n]*/) => InPlace(x, Simd.Best);

    /// <summary>InPlace on a forced SIMD width (parity tests).</summary>
    internal static unsafe void InPlace(Span<float> x /*[n]*/, SimdWidth width)
    {
        if (x.IsEmpty)
        {
            return;
        }
        Simd.Require(width);
        fixed (float* p = x)
        {
            switch (Simd.ForFloat(width))
            {
                case SimdWidth.Vector512: InPlace<Vec512, Vector512<float>>(p, x.Length); break;
                case SimdWidth.Vector256: InPlace<Vec256, Vector256<float>>(p, x.Length); break;
                case SimdWidth.Vector128: InPlace<Vec128, Vector128<float>>(p, x.Length); break;
                default: InPlaceScalar(x); break;
            }
        }
    }

    private static void CheckMax(float max)
    {
        if (float.IsNaN(max) || float.IsNegativeInfinity(max))
        {
            throw new ArgumentException(float.IsNaN(max)
                ? "softmax input contains NaN (check the logits / attention scores)"
                : "softmax input is all -infinity (every position is masked)");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void InPlace<T, TV>(float* x, int n) where T : IVecOps<TV> where TV : struct
    {
        int i = 0;
        float max = float.NegativeInfinity;
        if (n >= T.Count)
        {
            TV m = T.Load(x);
            for (i = T.Count; i + T.Count <= n; i += T.Count)
            {
                m = T.Max(m, T.Load(x + i));
            }
            max = T.MaxAcross(m);
        }
        for (; i < n; i++)
        {
            max = MathF.Max(max, x[i]);
        }
        CheckMax(max);
        TV vmax = T.Create(max), sum = T.Create(0f);
        for (i = 0; i + T.Count <= n; i += T.Count)
        {
            TV e = T.Exp(T.Sub(T.Load(x + i), vmax));
            T.Store(e, x + i);
            sum = T.Add(sum, e);
        }
        double total = T.Sum(sum);
        for (; i < n; i++)
        {
            x[i] = MathF.Exp(x[i] - max);
            total += x[i];
        }
        float inverse = (float)(1.0 / total);
        TV s = T.Create(inverse);
        for (i = 0; i + T.Count <= n; i += T.Count)
        {
            T.Store(T.Mul(T.Load(x + i), s), x + i);
        }
        for (; i < n; i++)
        {
            x[i] *= inverse;
        }
    }

    /// <summary>Scalar reference (sum in double).</summary>
    internal static void InPlaceScalar(Span<float> x /*[n]*/)
    {
        float max = float.NegativeInfinity;
        foreach (float v in x)
        {
            max = MathF.Max(max, v);
        }
        CheckMax(max);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Exp(x[i] - max);
            sum += x[i];
        }
        float inverse = (float)(1.0 / sum);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= inverse;
        }
    }
}
