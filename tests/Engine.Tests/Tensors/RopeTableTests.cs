using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

public class RopeTableTests
{
    /// <summary>HF transformers _compute_llama3_parameters, written as its torch.where masks, in double.</summary>
    private static double[] Llama3InverseFrequencies(int headDim, double theta, double factor, double low, double high, int original)
    {
        var inv = new double[headDim / 2];
        double lowWavelen = original / low, highWavelen = original / high;
        for (int i = 0; i < inv.Length; i++)
        {
            double f = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
            double wavelen = 2 * Math.PI / f;
            double scaled = wavelen > lowWavelen ? f / factor : f;
            double smooth = (original / wavelen - low) / (high - low);
            double smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
            bool medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            inv[i] = medium ? smoothed : scaled;
        }
        return inv;
    }

    private static float[] Reference(float[] x, int[] positions, int heads, int headDim, double[] inv)
    {
        var y = (float[])x.Clone();
        int half = headDim / 2;
        for (int t = 0; t < positions.Length; t++)
        {
            for (int h = 0; h < heads; h++)
            {
                int o = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++)
                {
                    double angle = positions[t] * inv[i];
                    double a = x[o + i], b = x[o + i + half];
                    y[o + i] = (float)(a * Math.Cos(angle) - b * Math.Sin(angle));
                    y[o + i + half] = (float)(b * Math.Cos(angle) + a * Math.Sin(angle));
                }
            }
        }
        return y;
    }

    [Fact]
    public void Apply_NoScaling_MatchesDoubleReference()
    {
        const int headDim = 64, heads = 3;
        int[] positions = [0, 1, 7, 100, 4095];
        var inv = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(10000, 2.0 * i / headDim)).ToArray();
        float[] x = TensorTestUtil.Random(positions.Length * heads * headDim, 1);
        float[] expected = Reference(x, positions, heads, headDim, inv);
        new RopeTable(headDim, 4096, 10000).Apply(x, positions, heads);
        TensorTestUtil.AssertClose(expected, x, 1e-5, 1.0);
    }

    [Fact]
    public void Apply_Llama3Scaling_MatchesDoubleReference()
    {
        // Llama 3.1 8B: theta 500000, factor 8, low_freq_factor 1, high_freq_factor 4, original 8192
        const int headDim = 128, heads = 2;
        int[] positions = [0, 3, 8191, 9000, 20000];
        var scaling = new RopeScaling("llama3", 8, 1, 4, 8192);
        double[] inv = Llama3InverseFrequencies(headDim, 500000, 8, 1, 4, 8192);
        float[] x = TensorTestUtil.Random(positions.Length * heads * headDim, 2);
        float[] expected = Reference(x, positions, heads, headDim, inv);
        new RopeTable(headDim, 20001, 500000, scaling).Apply(x, positions, heads);
        TensorTestUtil.AssertClose(expected, x, 1e-5, 1.0);
    }

    [Fact]
    public void Llama3Scaling_Frequencies_HighUnchangedLowDividedMediumInterpolated()
    {
        double[] inv = Enumerable.Range(0, 64).Select(i => 1.0 / Math.Pow(500000, 2.0 * i / 128)).ToArray();
        double[] scaled = (double[])inv.Clone();
        new RopeScaling("llama3", 8, 1, 4, 8192).Scale(scaled);
        Assert.Equal(inv[0], scaled[0]);              // wavelength 2π < 2048: unchanged
        Assert.Equal(inv[63] / 8, scaled[63], 15);    // wavelength > 8192: divided by the factor
        Assert.Equal(Llama3InverseFrequencies(128, 500000, 8, 1, 4, 8192), scaled);
        int medium = Array.FindIndex(inv, f => 2 * Math.PI / f >= 2048 && 2 * Math.PI / f <= 8192);
        Assert.True(medium > 0 && scaled[medium] < inv[medium] && scaled[medium] > inv[medium] / 8);
    }

    [Fact]
    public void Constructor_UnknownScalingType_ThrowsNotSupportedNamingIt()
    {
        var ex = Assert.Throws<NotSupportedException>(() => new RopeTable(64, 16, 10000, new RopeScaling("yarn", 4, 1, 4, 4096)));
        Assert.Contains("yarn", ex.Message);
    }

    [Fact]
    public void Apply_PositionOutsideTable_ThrowsWithPosition()
    {
        var rope = new RopeTable(4, 8, 10000);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => rope.Apply(new float[4], new[] { 8 }, 1));
        Assert.Contains("8", ex.Message);
    }
}
