using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>The bundled model's byte-level BPE (models/default/tokenizer.json) against its committed golden ids.</summary>
public sealed class DefaultModelTokenizerTests
{
    private static string ModelFile(string name)
    {
        var path = Path.Combine(TokenizerFixtures.RepoRootPath, "models", "default", name);
        Assert.True(File.Exists(path), $"Missing {path}: the bundled model's tokenizer is committed under models/default.");
        return path;
    }

    [Fact]
    public void Encode_GoldenCases_MatchTrainerIds()
    {
        var tokenizer = Tokenizer.FromFile(ModelFile("tokenizer.json"));
        var golden = TokenizerFixtures.LoadJson(ModelFile("tokenizer-golden.json"));
        var count = 0;
        foreach (var c in golden.GetProperty("cases").EnumerateArray())
        {
            count++;
            var text = c.GetProperty("text").GetString()!;
            var ids = tokenizer.Encode(text);
            Assert.Equal(TokenizerFixtures.Ints(c.GetProperty("ids")), ids);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
        Assert.True(count > 0);
    }

    [Fact]
    public void Decode_OfEncode_ReturnsOriginalText()
    {
        var tokenizer = Tokenizer.FromFile(ModelFile("tokenizer.json"));
        Assert.Equal(4094, tokenizer.TokenToId("<|im_start|>"));
        foreach (var text in TokenizerFixtures.RoundTripTexts)
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }
}
