namespace LlmSuite.Engine.Tensors;

/// <summary>Root-mean-square layer norm: y = x / sqrt(mean(x²) + eps) * weight, row by row.</summary>
public static class RmsNorm
{
    /// <summary>Normalizes each of the m rows of x (row length d = weight.Length) into y; y may alias x.</summary>
    public static void Forward(ReadOnlySpan<float> x /*[m, d]*/, ReadOnlySpan<float> weight /*[d]*/, float eps, Span<float> y /*[m, d]*/)
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
        for (int row = 0; row < x.Length / d; row++)
        {
            ReadOnlySpan<float> xr = x.Slice(row * d, d);
            Span<float> yr = y.Slice(row * d, d);
            RowScalar(xr, weight, eps, yr);
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
