using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>gpt-tokenizer's data/TestPlans.txt: golden ids for r50k/p50k/cl100k/o200k over .tiktoken files.</summary>
public sealed class TiktokenTestPlansTests
{
    private static readonly Lazy<List<(string Encoding, string Sample, int[] Ids)>> Plans = new(LoadPlans);

    private static List<(string Encoding, string Sample, int[] Ids)> LoadPlans()
    {
        var lines = File.ReadAllLines(TokenizerFixtures.NodeModule("gpt-tokenizer/data/TestPlans.txt"));
        var plans = new List<(string, string, int[])>();
        for (var i = 0; i + 2 < lines.Length; i++)
        {
            if (!lines[i].StartsWith("EncodingName: ", StringComparison.Ordinal))
            {
                continue;
            }
            var encoding = lines[i]["EncodingName: ".Length..];
            var sample = lines[i + 1]["Sample: ".Length..];
            var encoded = lines[i + 2]["Encoded: ".Length..].Trim('[', ']');
            var ids = encoded.Length == 0 ? [] : encoded.Split(',').Select(s => int.Parse(s.Trim())).ToArray();
            plans.Add((encoding, sample, ids));
            i += 2;
        }
        return plans;
    }

    [Fact]
    public void TestPlans_File_Has313Cases()
    {
        Assert.Equal(313, Plans.Value.Count);
    }

    [Theory]
    [InlineData("r50k_base", 64)]
    [InlineData("p50k_base", 64)]
    [InlineData("p50k_edit", 64)]
    [InlineData("cl100k_base", 64)]
    [InlineData("o200k_base", 57)]
    public void Encode_EveryTestPlanCase_MatchesGoldenIds(string encoding, int expectedCases)
    {
        var file = encoding == "p50k_edit" ? "p50k_base" : encoding;
        var tokenizer = Tokenizer.FromTiktoken(
            TokenizerFixtures.NodeModule($"gpt-tokenizer/data/{file}.tiktoken"),
            TiktokenEncodings.Pattern(encoding),
            TiktokenEncodings.SpecialTokens(encoding));
        var cases = Plans.Value.Where(p => p.Encoding == encoding).ToList();
        Assert.Equal(expectedCases, cases.Count);
        var failures = new List<string>();
        foreach (var (_, sample, ids) in cases)
        {
            var actual = tokenizer.Encode(sample);
            if (!actual.SequenceEqual(ids))
            {
                failures.Add($"'{sample}': expected [{string.Join(",", ids)}] got [{string.Join(",", actual)}]");
            }
            Assert.Equal(sample, tokenizer.Decode(actual));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
