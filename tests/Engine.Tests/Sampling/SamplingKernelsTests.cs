using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Sampling;

public class SamplingKernelsTests
{
    public static TheoryData<string> Widths() => CandidateKeysTests.Widths();

    private static readonly int[] Lengths = [0, 1, 3, 4, 15, 16, 17, 33, 100, 1000, 4099];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Max_EachWidth_MatchesScalarReference(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (var n in Lengths)
        {
            var x = SamplerTestUtil.RandomLogits(n, seed: n, scale: 50f);
            Assert.Equal(n == 0 ? float.NegativeInfinity : x.Max(), SamplingKernels.Max(x, width));
            if (n > 0)
            {
                x[n / 2] = float.NaN;
                Assert.True(float.IsNaN(SamplingKernels.Max(x, width)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ArgMax_EachWidth_FirstIndexOfMax(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (var n in Lengths.Where(n => n > 0))
        {
            var x = SamplerTestUtil.RandomLogits(n, seed: n + 7, scale: 5f);
            Assert.Equal(Array.IndexOf(x, x.Max()), SamplingKernels.ArgMax(x, width));
            x[n - 1] = 100f;
            x[n / 2] = 100f;
            Assert.Equal(n / 2, SamplingKernels.ArgMax(x, width));
            x[n - 1] = float.NaN;
            Assert.Equal(n - 1, SamplingKernels.ArgMax(x, width));
        }
        Assert.Equal(-1, SamplingKernels.ArgMax([], width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ExpShifted_EachWidth_MatchesMathFExpWithinFewUlp(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (var n in Lengths)
        {
            var x = SamplerTestUtil.RandomLogits(n, seed: n + 3, scale: 60f);
            if (n > 4) { x[0] = float.NegativeInfinity; x[1] = -1000f; x[2] = 0f; }
            var max = n == 0 ? 0f : x.Max();
            var dst = new float[n];
            var sum = SamplingKernels.ExpShifted(x, max, dst, width);
            double expectedSum = 0;
            for (var i = 0; i < n; i++)
            {
                var d = x[i] - max;
                var expected = d < -87.3f ? 0.0 : Math.Exp(d);
                expectedSum += expected;
                Assert.True(Math.Abs(dst[i] - expected) <= 4e-7 * expected, $"n={n} i={i} d={d}: {dst[i]} vs {expected}");
            }
            Assert.Equal(expectedSum, sum, Math.Max(1e-9, expectedSum * 1e-6));
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DivideAndMax_EachWidth_MatchesScalarDivision(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (var n in Lengths)
        {
            var x = SamplerTestUtil.RandomLogits(n, seed: n + 11, scale: 30f);
            var expected = x.Select(v => v / 0.7f).ToArray();
            var max = SamplingKernels.DivideAndMax(x, 0.7f, width);
            Assert.Equal(expected, x);
            Assert.Equal(n == 0 ? float.NegativeInfinity : expected.Max(), max);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MassAtLeast_EachWidth_MatchesScalarReference(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (var n in Lengths)
        {
            var x = SamplerTestUtil.RandomLogits(n, seed: n + 13, scale: 4f);
            var w = SamplerTestUtil.RandomLogits(n, seed: n + 14, scale: 1f).Select(Math.Abs).ToArray();
            var mass = SamplingKernels.MassAtLeast(x, w, 1f, out var count, width);
            Assert.Equal(x.Count(v => v >= 1f), count);
            Assert.Equal(x.Select((v, i) => v >= 1f ? (double)w[i] : 0).Sum(), mass, 1e-3);
        }
    }
}
