using System.Text;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>Our NFC/NFD/NFKC/NFKD against golden outputs from Python's unicodedata (same Unicode version as the tables).</summary>
public sealed class UnicodeNormalizationTests
{
    [Fact]
    public void Normalize_GoldenCases_MatchPythonUnicodedata()
    {
        var golden = TokenizerFixtures.LoadJson(TokenizerFixtures.TestData("unicode_normalization_golden.json"));
        var count = 0;
        foreach (var c in golden.GetProperty("cases").EnumerateArray())
        {
            count++;
            var text = c.GetProperty("text").GetString()!;
            foreach (var (form, key) in new[] { (NormalizationForm.FormC, "NFC"), (NormalizationForm.FormD, "NFD"), (NormalizationForm.FormKC, "NFKC"), (NormalizationForm.FormKD, "NFKD") })
            {
                var expected = c.GetProperty(key).GetString()!;
                var actual = UnicodeNormalization.Normalize(text, form) ?? text;
                Assert.True(expected == actual, $"{key}('{text}'): expected '{Escape(expected)}' got '{Escape(actual)}'");
            }
        }
        Assert.True(count >= 20);
    }

    [Fact]
    public void Normalize_AlreadyNormalized_ReturnsNull()
    {
        Assert.Null(UnicodeNormalization.Normalize("plain ascii", NormalizationForm.FormKC));
        Assert.Null(UnicodeNormalization.Normalize("café 你好", NormalizationForm.FormC));
    }

    [Fact]
    public void Encode_Qwen3DecomposedInput_EqualsPrecomposed()
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer("qwen3"); // NFC normalizer
        Assert.Equal(tokenizer.Encode("caf\u00E9 \u00C5ngstr\u00F6m"), tokenizer.Encode("cafe\u0301 A\u030Angstro\u0308m"));
    }

    private static string Escape(string s) => string.Concat(s.EnumerateRunes().Select(r => r.Value < 128 ? r.ToString() : $"\\u{r.Value:X4}"));
}
