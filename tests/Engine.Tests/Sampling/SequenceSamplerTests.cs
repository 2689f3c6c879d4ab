using LlmSuite.Engine.Sampling;
using static LlmSuite.Engine.Tests.Sampling.SamplerTestUtil;

namespace LlmSuite.Engine.Tests.Sampling;

public class SequenceSamplerTests
{
    [Fact]
    public void Sample_TemperatureZero_ReturnsArgmax()
    {
        var logits = RandomLogits(32_000, seed: 1);
        var expected = Array.IndexOf(logits, logits.Max());
        var sampler = Sampler(new SamplingParams { Temperature = 0f }, logits.Length);
        for (var i = 0; i < 3; i++)
            Assert.Equal(expected, sampler.SampleCopy(logits).TokenId);
        Assert.Equal(3, sampler.GeneratedCount);
    }

    [Fact]
    public void Sample_GreedyTie_ReturnsLowestId()
    {
        var logits = new float[100];
        logits[70] = 5f;
        logits[37] = 5f;
        logits[90] = 5f;
        Assert.Equal(37, Sampler(new SamplingParams { Temperature = 0f }, 100).SampleCopy(logits).TokenId);
    }

    [Fact]
    public void Sample_TemperatureBelowEpsilon_IsGreedyAndIgnoresSeed()
    {
        var logits = RandomLogits(1000, seed: 2, scale: 1f);
        var expected = Array.IndexOf(logits, logits.Max());
        for (var seed = 0; seed < 10; seed++)
            Assert.Equal(expected, Sampler(new SamplingParams { Temperature = 1e-6f, Seed = seed }, 1000).SampleCopy(logits).TokenId);
    }

    [Theory]
    [InlineData(1f, 1f, 0, 0f)]
    [InlineData(0.7f, 0.9f, 0, 0f)]
    [InlineData(1.3f, 1f, 40, 0f)]
    [InlineData(1f, 0.95f, 50, 0.05f)]
    [InlineData(1f, 1f, 0, 0.1f)]
    public void Sample_SameSeed_SameSequenceOf200(float temperature, float topP, int topK, float minP)
    {
        var p = new SamplingParams { Temperature = temperature, TopP = topP, TopK = topK, MinP = minP, Seed = 42 };
        var rows = Enumerable.Range(0, 200).Select(i => RandomLogits(5000, seed: 100 + i, scale: 3f)).ToArray();
        int[] Run(long? seedOverride)
        {
            var sampler = Sampler(p, 5000, seedOverride: seedOverride);
            return rows.Select(r => sampler.SampleCopy(r).TokenId).ToArray();
        }
        var first = Run(null);
        Assert.Equal(first, Run(null));
        Assert.Equal(first, Run(42));           // seedOverride equal to the seed: same stream
        var other = Run(43);
        Assert.NotEqual(first, other);
        Assert.True(first.Zip(other).Count(t => t.First != t.Second) > 20, "different seeds should mostly differ");
    }

    [Fact]
    public void Sample_OtherSequencesInterleaved_DoNotChangeSeededTokens()
    {
        var rows = Enumerable.Range(0, 50).Select(i => RandomLogits(3000, seed: i, scale: 2f)).ToArray();
        var p = new SamplingParams { Seed = 7, TopP = 0.9f };
        var alone = Sampler(p, 3000);
        var expected = rows.Select(r => alone.SampleCopy(r).TokenId).ToArray();
        var a = Sampler(p, 3000);
        var b = Sampler(new SamplingParams { Seed = 8, TopK = 5 }, 3000);
        var actual = rows.Select(r => { b.SampleCopy(r); var t = a.SampleCopy(r).TokenId; b.SampleCopy(r); return t; }).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Sample_NullSeed_DrawsFromRandomSeeds()
    {
        var logits = new float[1000]; // uniform
        var tokens = Enumerable.Range(0, 20).Select(_ => Sampler(new SamplingParams(), 1000).SampleCopy(logits).TokenId).ToHashSet();
        Assert.True(tokens.Count > 10);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.5f)]
    [InlineData(2f)]
    public void Sample_ManyDraws_MatchSoftmaxChiSquare(float temperature)
    {
        float[] logits = [1.0f, 0.5f, -0.3f, 2.0f, 0f, -1.5f, 1.2f, 0.7f];
        const int Draws = 40_000;
        var counts = Histogram(new SamplingParams { Temperature = temperature }, logits, Draws);
        var expected = Softmax(logits, temperature);
        double chi2 = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = expected[i] * Draws;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        // 7 degrees of freedom: P(chi2 > 29.9) ≈ 1e-4. Deterministic because the generator is seeded.
        Assert.True(chi2 < 29.9, $"chi-square {chi2:F2} too large; counts {string.Join(",", counts)}");
    }

    [Fact]
    public void Sample_LargeVocabFullSoftmax_MatchesExpectedMassOfTopTokens()
    {
        // Exercises the block-sum path (vocab > one block): the top 4 tokens hold most of the mass.
        var logits = RandomLogits(20_000, seed: 5, scale: 1f);
        logits[123] = 10f; logits[7000] = 9.5f; logits[15000] = 9f; logits[19999] = 8f;
        var expected = Softmax(logits);
        const int Draws = 20_000;
        var counts = Histogram(new SamplingParams(), logits, Draws);
        foreach (var id in new[] { 123, 7000, 15000, 19999 })
            Assert.InRange(counts[id] / (double)Draws, expected[id] - 0.02, expected[id] + 0.02);
        var rest = Draws - counts[123] - counts[7000] - counts[15000] - counts[19999];
        var restExpected = 1 - expected[123] - expected[7000] - expected[15000] - expected[19999];
        Assert.InRange(rest / (double)Draws, restExpected - 0.02, restExpected + 0.02);
    }

    [Fact]
    public void Sample_TopKOne_EqualsGreedy()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var logits = RandomLogits(10_000, seed, scale: 2f);
            var greedy = Sampler(new SamplingParams { Temperature = 0f }, 10_000).SampleCopy(logits).TokenId;
            var topOne = Sampler(new SamplingParams { TopK = 1, Temperature = 1.5f, Seed = seed }, 10_000).SampleCopy(logits).TokenId;
            Assert.Equal(greedy, topOne);
        }
    }

    private static SortedSet<int> Support(SamplingParams p, float[] logits, int draws = 4000)
    {
        var counts = Histogram(p, logits, draws);
        return new SortedSet<int>(Enumerable.Range(0, logits.Length).Where(i => counts[i] > 0));
    }

    // probabilities of ln([0.4, 0.25, 0.15, 0.1, 0.06, 0.04]) in a shuffled order of ids
    private static readonly float[] SixTokens = [MathF.Log(0.1f), MathF.Log(0.4f), MathF.Log(0.04f), MathF.Log(0.25f), MathF.Log(0.06f), MathF.Log(0.15f)];

    [Theory]
    [InlineData(2, new[] { 1, 3 })]
    [InlineData(3, new[] { 1, 3, 5 })]
    [InlineData(5, new[] { 0, 1, 3, 4, 5 })]
    [InlineData(6, new[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData(100, new[] { 0, 1, 2, 3, 4, 5 })]
    public void Sample_TopK_KeepsExactlyKMostLikely(int k, int[] expected)
    {
        Assert.Equal(expected, Support(new SamplingParams { TopK = k }, SixTokens));
    }

    [Theory]
    [InlineData(0.3f, new[] { 1 })]                 // 0.4 >= 0.3 already
    [InlineData(0.5f, new[] { 1, 3 })]              // 0.4 < 0.5, 0.65 >= 0.5
    [InlineData(0.79f, new[] { 1, 3, 5 })]          // 0.65 < 0.79, 0.8 >= 0.79
    [InlineData(0.85f, new[] { 0, 1, 3, 5 })]       // 0.8 < 0.85, 0.9 >= 0.85
    [InlineData(0.95f, new[] { 0, 1, 3, 4, 5 })]    // 0.9 < 0.95, 0.96 >= 0.95
    [InlineData(0.99f, new[] { 0, 1, 2, 3, 4, 5 })]
    public void Sample_TopP_KeepsSmallestPrefixReachingP(float topP, int[] expected)
    {
        Assert.Equal(expected, Support(new SamplingParams { TopP = topP }, SixTokens));
    }

    [Fact]
    public void Sample_TopKThenTopP_TopPOverRenormalisedTopK()
    {
        // top_k=3 keeps 0.4, 0.25, 0.15 (renormalised 0.5, 0.3125, 0.1875); top_p=0.75 keeps the first two.
        Assert.Equal([1, 3], Support(new SamplingParams { TopK = 3, TopP = 0.75f }, SixTokens));
    }

    [Theory]
    [InlineData(0.2f, new[] { 0, 1, 3, 5 })]        // threshold 0.08: drops 0.06 and 0.04
    [InlineData(0.5f, new[] { 1, 3 })]              // threshold 0.2
    [InlineData(0.12f, new[] { 0, 1, 3, 4, 5 })]    // threshold 0.048
    [InlineData(1f, new[] { 1 })]
    public void Sample_MinP_DropsTokensBelowFractionOfMax(float minP, int[] expected)
    {
        Assert.Equal(expected, Support(new SamplingParams { MinP = minP }, SixTokens));
    }

    [Fact]
    public void Sample_MinPThenTopP_TopPOverMinPSurvivors()
    {
        // min_p 0.2 keeps 0.4, 0.25, 0.15, 0.1 (sum 0.9 → 0.444, 0.278, 0.167, 0.111); top_p 0.7 keeps 0.444+0.278 = 0.722.
        Assert.Equal([1, 3], Support(new SamplingParams { MinP = 0.2f, TopP = 0.7f }, SixTokens));
        // Without min_p, top_p 0.7 would need a third token (0.4 + 0.25 = 0.65 < 0.7).
        Assert.Equal([1, 3, 5], Support(new SamplingParams { TopP = 0.7f }, SixTokens));
    }

    [Fact]
    public void Sample_TopKWithTies_KeepsAllTiedWithKth()
    {
        float[] logits = [0f, 3f, 2f, 2f, 2f, 1f];
        Assert.Equal([1, 2, 3, 4], Support(new SamplingParams { TopK = 2 }, logits));
    }

    [Fact]
    public void Sample_TopKLargeVocab_OnlyTopKDrawn()
    {
        var logits = RandomLogits(50_000, seed: 9, scale: 0.5f); // flat: many tokens within the first thresholds
        var top = logits.Select((v, i) => (v, i)).OrderByDescending(t => t.v).ThenBy(t => t.i).Take(20).Select(t => t.i).ToHashSet();
        var support = Support(new SamplingParams { TopK = 20, Temperature = 0.01f }, logits, draws: 500);
        Assert.Subset(top, support);
        Assert.Contains(top.First(), support);
    }

    [Fact]
    public void Sample_TopPLargeFlatVocab_MatchesSortedReference()
    {
        var logits = RandomLogits(40_000, seed: 11, scale: 0.2f); // nearly uniform: nucleus holds ~half the vocabulary
        var p = Softmax(logits);
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
        var allowed = new HashSet<int>();
        double before = 0;
        foreach (var id in order)
        {
            if (before >= 0.5) break;
            allowed.Add(id);
            before += p[id];
        }
        var support = Support(new SamplingParams { TopP = 0.5f }, logits, draws: 3000);
        Assert.Subset(allowed, support);
    }

    [Theory]
    [InlineData(0.5f, 0)]
    [InlineData(0.95f, 0)]
    [InlineData(0.95f, 3)]
    public void Sample_TopPHugeNucleus_DrawsMatchNucleusDistribution(float topP, int peaks)
    {
        // 60k nearly uniform tokens (nucleus of tens of thousands: the banded path) plus optional strong peaks.
        var logits = RandomLogits(60_000, seed: 12, scale: 0.3f);
        for (var i = 0; i < peaks; i++) logits[1000 * i + 7] = 9f - i;
        var p = Softmax(logits);
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).ToArray();
        var nucleus = new HashSet<int>();
        double before = 0;
        foreach (var id in order)
        {
            if (before >= topP) break;
            nucleus.Add(id);
            before += p[id];
        }
        const int Draws = 4000;
        var counts = Histogram(new SamplingParams { TopP = topP }, logits, Draws);
        var drawn = Enumerable.Range(0, logits.Length).Where(i => counts[i] > 0).ToHashSet();
        Assert.Subset(nucleus, drawn);
        // mass check: peaks and the "upper half" of the nucleus are drawn in proportion to their renormalised mass
        for (var i = 0; i < peaks; i++)
            Assert.InRange(counts[1000 * i + 7] / (double)Draws, p[1000 * i + 7] / before - 0.03, p[1000 * i + 7] / before + 0.03);
        var upper = order.Take(nucleus.Count / 2).ToArray();
        var upperExpected = upper.Sum(i => p[i]) / before;
        Assert.InRange(upper.Sum(i => counts[i]) / (double)Draws, upperExpected - 0.03, upperExpected + 0.03);
    }

    [Fact]
    public void Sample_Penalties_MatchVllmFormulas()
    {
        // Greedy leaves the processed logits (bias, min_tokens, penalties) in the input span.
        var p = new SamplingParams { Temperature = 0f, RepetitionPenalty = 2f, PresencePenalty = 0.5f, FrequencyPenalty = 0.25f };
        var sampler = Sampler(p, 6, prompt: [0, 1, 1]);
        float[] force3 = [0f, 0f, 0f, 100f, 0f, 0f];
        sampler.SampleCopy(force3); // output: 3 (repetition on 3: 100/2 = 50 still max)
        sampler.SampleCopy(force3); // output: 3, 3
        float[] logits = [2f, -1f, 0.5f, 3f, -2f, 1f];
        sampler.Sample(logits);
        // token 0: prompt only → 2/2 = 1; token 1: prompt → -1*2 = -2; token 3: output twice → 3/2 - 0.25*2 - 0.5 = 0.5
        Assert.Equal([1f, -2f, 0.5f, 0.5f, -2f, 1f], logits);
    }

    [Fact]
    public void Sample_PresenceFrequencyOnly_IgnorePromptTokens()
    {
        var p = new SamplingParams { Temperature = 0f, PresencePenalty = -1f, FrequencyPenalty = 1f };
        var sampler = Sampler(p, 4, prompt: [2]);
        sampler.SampleCopy([0f, 9f, 0f, 0f]); // output: 1
        float[] logits = [1f, 1f, 1f, 1f];
        sampler.Sample(logits);
        Assert.Equal([1f, 1f, 1f, 1f], new[] { logits[0], 1f, logits[2], logits[3] });
        Assert.Equal(1f - 1f * 1 + 1f, logits[1]); // minus frequency × count, minus presence (negative → bonus)
    }

    [Fact]
    public void Sample_LogitBias_AddedBeforeArgmax()
    {
        var p = new SamplingParams { Temperature = 0f, LogitBias = new Dictionary<int, float> { [2] = 5f, [0] = -100f } };
        float[] logits = [3f, 2f, -1f, 0f];
        Assert.Equal(2, Sampler(p, 4).Sample(logits).TokenId);
        Assert.Equal([-97f, 2f, 4f, 0f], logits);
    }

    [Fact]
    public void Sample_MinTokens_MasksEosAndStopIdsUntilReached()
    {
        var p = new SamplingParams { Temperature = 0f, MinTokens = 2, StopTokenIds = [3] };
        var sampler = Sampler(p, 5, eos: new HashSet<int> { 4 });
        float[] eosWins = [0f, 1f, 0f, 5f, 9f];
        Assert.Equal(1, sampler.SampleCopy(eosWins).TokenId);
        float[] logits = (float[])eosWins.Clone();
        Assert.Equal(1, sampler.Sample(logits).TokenId);
        Assert.Equal(float.NegativeInfinity, logits[3]);
        Assert.Equal(float.NegativeInfinity, logits[4]);
        Assert.Equal(4, sampler.SampleCopy(eosWins).TokenId); // 2 tokens generated: EOS allowed again
    }

    [Fact]
    public void Sample_MinTokensWithIgnoreEos_MasksOnlyStopIds()
    {
        var p = new SamplingParams { Temperature = 0f, MinTokens = 3, IgnoreEos = true, StopTokenIds = [3] };
        var sampler = Sampler(p, 5, eos: new HashSet<int> { 4 });
        Assert.Equal(4, sampler.SampleCopy([0f, 1f, 0f, 5f, 9f]).TokenId);
        Assert.Equal(1, sampler.SampleCopy([0f, 1f, 0f, 5f, -9f]).TokenId);
    }

    [Fact]
    public void Sample_MinTokensRandom_NeverDrawsMaskedIds()
    {
        var p = new SamplingParams { MinTokens = 1000, StopTokenIds = [0], Seed = 3 };
        var sampler = Sampler(p, 4, eos: new HashSet<int> { 1 });
        for (var i = 0; i < 500; i++)
            Assert.InRange(sampler.SampleCopy([5f, 5f, 0f, 0f]).TokenId, 2, 3);
    }

    [Theory]
    [InlineData(0f, 5)]
    [InlineData(1f, 0)]
    [InlineData(0.8f, 20)]
    public void Sample_Logprobs_EqualDoubleLogSoftmaxOfRawLogits(float temperature, int k)
    {
        var raw = RandomLogits(30_000, seed: 21, scale: 6f);
        var p = new SamplingParams
        {
            Temperature = temperature, Logprobs = k, Seed = 5, RepetitionPenalty = 1.3f, PresencePenalty = 1f,
            LogitBias = new Dictionary<int, float> { [17] = 30f },
        };
        var sampler = Sampler(p, raw.Length, prompt: [1, 2, 3]);
        var result = sampler.SampleCopy(raw);
        var logSoftmax = Softmax(raw).Select(v => Math.Log(v)).ToArray();
        Assert.Equal(logSoftmax[result.TokenId], result.Logprob, 1e-4);
        Assert.NotNull(result.TopLogprobs);
        Assert.Equal(k, result.TopLogprobs!.Length);
        var expectedOrder = Enumerable.Range(0, raw.Length).OrderByDescending(i => raw[i]).ThenBy(i => i).Take(k).ToArray();
        Assert.Equal(expectedOrder, result.TopLogprobs.Select(t => t.TokenId).ToArray());
        foreach (var t in result.TopLogprobs)
            Assert.Equal(logSoftmax[t.TokenId], t.Logprob, 1e-4);
        if (temperature == 0f)
            Assert.Equal(17, result.TokenId); // the bias steers sampling but not the raw logprobs
    }

    [Fact]
    public void Sample_LogprobsTies_LowerIdFirst()
    {
        float[] raw = [1f, 2f, 2f, 0f, 2f];
        var top = Sampler(new SamplingParams { Logprobs = 3, Temperature = 0f }, 5).SampleCopy(raw).TopLogprobs!;
        Assert.Equal([1, 2, 4], top.Select(t => t.TokenId).ToArray());
    }

    [Fact]
    public void Sample_NoLogprobs_ReturnsNaNAndNull()
    {
        var result = Sampler(new SamplingParams { Seed = 1 }, 10).SampleCopy(new float[10]);
        Assert.True(float.IsNaN(result.Logprob));
        Assert.Null(result.TopLogprobs);
    }

    [Fact]
    public void Sample_WrongLength_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Sampler(new SamplingParams(), 10).Sample(new float[9]));
        Assert.Equal("logits", ex.ParamName);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    public void Sample_NaNLogits_ThrowsClearError(float temperature)
    {
        var logits = new float[10];
        logits[4] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => Sampler(new SamplingParams { Temperature = temperature }, 10).Sample(logits));
        Assert.Contains("NaN", ex.Message);
    }

    [Fact]
    public void Constructor_PromptTokenOutOfVocab_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler(new SamplingParams(), 10, prompt: [3, 10]));
    }

    [Theory]
    [InlineData(1f, 1f, 0, 0f)]
    [InlineData(0f, 1f, 0, 0f)]
    [InlineData(0.7f, 0.9f, 0, 0f)]
    [InlineData(1f, 1f, 50, 0f)]
    [InlineData(0.8f, 0.95f, 40, 0.05f)]
    [InlineData(1f, 1f, 0, 0.1f)]
    public void Sample_WithoutLogprobsAfterWarmUp_AllocatesNothing(float temperature, float topP, int topK, float minP)
    {
        const int Vocab = 32_000;
        var source = RandomLogits(Vocab, seed: 3, scale: 6f);
        var work = new float[Vocab];
        var p = new SamplingParams
        {
            Temperature = temperature, TopP = topP, TopK = topK, MinP = minP, Seed = 1,
            RepetitionPenalty = 1.1f, FrequencyPenalty = 0.5f, PresencePenalty = 0.5f, MaxTokens = 1000,
            LogitBias = new Dictionary<int, float> { [5] = 2f }, MinTokens = 10, StopTokenIds = [7],
        };
        var sampler = Sampler(p, Vocab, prompt: [1, 2, 3], eos: new HashSet<int> { 0 });
        for (var i = 0; i < 20; i++)
        {
            source.CopyTo(work, 0);
            sampler.Sample(work);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            source.CopyTo(work, 0);
            sampler.Sample(work);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
