namespace LlmSuite.Engine.Tests.Tensors;

/// <summary>Seeded data and tolerant comparisons shared by the kernel tests.</summary>
internal static class TensorTestUtil
{
    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < length; i++)
        {
            a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }
        return a;
    }

    /// <summary>Asserts |a - e| <= rel * max(|e|, floor) elementwise.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rel, double floor = 1.0, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = rel * Math.Max(Math.Abs(expected[i]), floor);
            if (!(Math.Abs(expected[i] - actual[i]) <= tol))
            {
                Assert.Fail($"{what} element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol:G3})");
            }
        }
    }

    /// <summary>y = x · Wᵀ + bias in double precision from a dequantized copy of W.</summary>
    public static float[] ReferenceMatMul(float[] x, int m, float[] w, int n, int k, float[]? bias)
    {
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = bias?[j] ?? 0;
                for (int c = 0; c < k; c++)
                {
                    s += (double)x[i * k + c] * w[j * k + c];
                }
                y[i * n + j] = (float)s;
            }
        }
        return y;
    }
}
