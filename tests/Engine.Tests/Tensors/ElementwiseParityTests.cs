using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

/// <summary>RmsNorm, SwiGlu, Softmax and RoPE: every SIMD width against the scalar reference, odd sizes for tails.</summary>
public class ElementwiseParityTests
{
    public static TheoryData<string> Widths() => new() { "Vector512", "Vector256", "Vector128" };

    private static readonly int[] Sizes = [1, 3, 4, 15, 16, 17, 33, 100, 257];

    private static SimdWidth Parse(string name)
    {
        var width = Enum.Parse<SimdWidth>(name);
        Assert.True(Simd.IsSupported(width), $"{width} is not supported on this CPU");
        return width;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void RmsNormForward_EachWidth_MatchesScalar(string name)
    {
        var width = Parse(name);
        foreach (int d in Sizes)
        {
            float[] x = TensorTestUtil.Random(3 * d, d, 4f);
            float[] w = TensorTestUtil.Random(d, d + 1);
            var expected = new float[x.Length];
            var actual = new float[x.Length];
            RmsNorm.Forward(x, w, 1e-5f, expected, SimdWidth.Scalar);
            RmsNorm.Forward(x, w, 1e-5f, actual, width);
            TensorTestUtil.AssertClose(expected, actual, 1e-5, 1e-3, $"RmsNorm d={d}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SwiGlu_EachWidth_MatchesScalar(string name)
    {
        var width = Parse(name);
        foreach (int n in Sizes)
        {
            float[] g = TensorTestUtil.Random(n, n, 12f);
            float[] u = TensorTestUtil.Random(n, n + 1, 3f);
            var expected = new float[n];
            var actual = new float[n];
            Activations.SwiGlu(g, u, expected, SimdWidth.Scalar);
            Activations.SwiGlu(g, u, actual, width);
            TensorTestUtil.AssertClose(expected, actual, 1e-5, 1e-6, $"SwiGlu n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SoftmaxInPlace_EachWidth_MatchesScalar(string name)
    {
        var width = Parse(name);
        foreach (int n in Sizes)
        {
            float[] expected = TensorTestUtil.Random(n, n, 20f);
            float[] actual = (float[])expected.Clone();
            Softmax.InPlace(expected, SimdWidth.Scalar);
            Softmax.InPlace(actual, width);
            TensorTestUtil.AssertClose(expected, actual, 1e-5, 1e-7, $"Softmax n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void RopeApply_EachWidth_MatchesScalar(string name)
    {
        var width = Parse(name);
        foreach (int headDim in new[] { 2, 6, 34, 64, 128 })
        {
            var rope = new RopeTable(headDim, 64, 10000, new RopeScaling("llama3", 8, 1, 4, 16));
            int[] positions = [0, 5, 63];
            float[] expected = TensorTestUtil.Random(3 * 3 * headDim, headDim);
            float[] actual = (float[])expected.Clone();
            rope.Apply(expected, positions, 3, SimdWidth.Scalar);
            rope.Apply(actual, positions, 3, width);
            TensorTestUtil.AssertClose(expected, actual, 1e-5, 1e-3, $"Rope headDim={headDim}");
        }
    }
}
