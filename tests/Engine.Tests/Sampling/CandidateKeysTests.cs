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
}
