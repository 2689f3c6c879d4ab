namespace LlmSuite.Engine.Tensors;

/// <summary>Numerically safe softmax: the max is subtracted before exponentiating, so large logits never overflow.</summary>
public static class Softmax
{
    /// <summary>x = exp(x - max) / sum(exp(x - max)), in place. Empty input is a no-op.</summary>
    public static void InPlace(Span<float> x /*[n]*/)
    {
        if (x.IsEmpty)
        {
            return;
        }
        InPlaceScalar(x);
    }

    /// <summary>Scalar reference (sum in double).</summary>
    internal static void InPlaceScalar(Span<float> x /*[n]*/)
    {
        float max = float.NegativeInfinity;
        foreach (float v in x)
        {
            max = MathF.Max(max, v);
        }
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
