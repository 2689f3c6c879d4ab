using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Sampling;

public class CandidateKeysTests
{
    public static TheoryData<string> Widths()
    {
        var data = new TheoryData<string>();
        foreach (var w in new[] { SimdWidth.Scalar, SimdWidth.Vector128, SimdWidth.Vector256, SimdWidth.Vector512 })
        {
            if (Simd.IsSupported(w))
                data.Add(w.ToString());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void GatherAtLeast_EachWidth_MatchesScalarReference(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (var n in new[] { 0, 1, 7, 16, 33, 1000, 4099 })
        {
            var x = SamplerTestUtil.RandomLogits(n, seed: n, scale: 4f);
            if (n > 3) { x[1] = float.NegativeInfinity; x[2] = float.NaN; x[3] = 2f; }
            var expected = new ulong[n];
            var expectedCount = CandidateKeys.GatherAtLeast(x, 2f, expected, SimdWidth.Scalar);
            var actual = new ulong[n];
            var count = CandidateKeys.GatherAtLeast(x, 2f, actual, width);
            Assert.Equal(expectedCount, count);
            Assert.Equal(expected.AsSpan(0, count).ToArray(), actual.AsSpan(0, count).ToArray());
            Assert.Equal(x.Count(v => v >= 2f), count);
        }
    }

    [Fact]
    public void Make_SortAscending_IsLogitDescendingThenIdAscending()
    {
        float[] x = [-1f, 3f, 0f, -0f, float.NegativeInfinity, 3f, 1e-30f, -5e3f];
        var keys = x.Select((v, i) => CandidateKeys.Make(v, i)).ToArray();
        Array.Sort(keys);
        Assert.Equal([1, 5, 6, 2, 3, 0, 7, 4], keys.Select(CandidateKeys.Id).ToArray());
    }

    [Fact]
    public void SelectSmallest_RandomKeys_FirstKAreTheKSmallest()
    {
        var rng = new Random(4);
        foreach (var (n, k) in new[] { (10, 3), (1000, 50), (1000, 1), (1000, 999), (5000, 2500), (64, 64) })
        {
            var keys = Enumerable.Range(0, n).Select(_ => (ulong)rng.NextInt64()).ToArray();
            // duplicates in the high half (equal logits) with distinct ids are the normal case
            for (var i = 0; i < n; i += 3) keys[i] = (keys[i] & 0xFFFF_0000_0000_0000UL) | (uint)i;
            var sorted = keys.OrderBy(v => v).ToArray();
            CandidateKeys.SelectSmallest(keys, k);
            Assert.Equal(sorted.Take(k).Order().ToArray(), keys.Take(k).Order().ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CountAtLeast_EachWidth_MatchesScalarReference(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (var n in new[] { 0, 5, 16, 31, 1000, 4099 })
        {
            var x = SamplerTestUtil.RandomLogits(n, seed: n + 1, scale: 4f);
            foreach (var thresholds in new[] { new[] { 3.5f, 2f, 0f, -1f, -4f }, [3.5f, 1f, -0.5f, -4f], [0f] })
            {
                var counts = new int[thresholds.Length];
                CandidateKeys.CountAtLeast(x, thresholds, counts, width);
                Assert.Equal(thresholds.Select(t => x.Count(v => v >= t)).ToArray(), counts);
            }
        }
    }

    [Fact]
    public void GatherTop_Flat_GathersAtLeastK()
    {
        var x = SamplerTestUtil.RandomLogits(10_000, seed: 3, scale: 0.1f);
        var keys = new ulong[x.Length];
        var n = CandidateKeys.GatherTop(x, x.Max(), float.NegativeInfinity, 50, keys);
        Assert.InRange(n, 50, x.Length);
        var expected = x.Select((v, i) => (v, i)).OrderByDescending(t => t.v).ThenBy(t => t.i).Take(50).Select(t => t.i);
        Assert.Subset(keys.Take(n).Select(CandidateKeys.Id).ToHashSet(), expected.ToHashSet());
    }

    [Fact]
    public void NucleusPrefix_RandomWeights_MatchesSortedWalk()
    {
        var rng = new Random(8);
        foreach (var n in new[] { 1, 5, 40, 1000, 20_000 })
        {
            foreach (var topP in new[] { 0.1, 0.5, 0.9, 0.999 })
            {
                var x = SamplerTestUtil.RandomLogits(n, seed: n, scale: 3f);
                for (var i = 0; i < n; i += 7) x[i] = x[rng.Next(n)]; // ties
                var max = x.Max();
                var weights = x.Select(v => MathF.Exp(v - max)).ToArray();
                var keys = x.Select((v, i) => CandidateKeys.Make(v, i)).ToArray();
                var total = weights.Sum(w => (double)w);
                var sorted = keys.Order().ToArray();
                var expected = new HashSet<int>();
                double before = 0;
                foreach (var key in sorted)
                {
                    if (expected.Count > 0 && before >= topP * total) break;
                    expected.Add(CandidateKeys.Id(key));
                    before += weights[CandidateKeys.Id(key)];
                }
                var m = CandidateKeys.NucleusPrefix(keys, weights, topP * total);
                Assert.Equal(expected.Order().ToArray(), keys.Take(m).Select(CandidateKeys.Id).Order().ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void GatherBetween_EachWidth_KeepsHalfOpenRange(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        var x = SamplerTestUtil.RandomLogits(1003, seed: 5, scale: 4f);
        x[10] = 1f; x[11] = 2f;
        var keys = new ulong[x.Length];
        var n = CandidateKeys.GatherBetween(x, 1f, 2f, keys, width);
        Assert.Equal(Enumerable.Range(0, x.Length).Where(i => x[i] >= 1f && x[i] < 2f).ToArray(), keys.Take(n).Select(CandidateKeys.Id).ToArray());
    }
}
