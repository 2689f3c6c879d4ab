using System.Text.Json.Nodes;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>tokenizer.json features on small hand-written files, and error handling.</summary>
public sealed class TokenizerJsonTests
{
    [Fact]
    public void Encode_MergesAsStringsOrArrays_GiveSameIds()
    {
        var fromStrings = Tokenizer.FromJson(TinyTokenizers.ByteLevel(mergesAsArrays: false).ToJsonString());
        var fromArrays = Tokenizer.FromJson(TinyTokenizers.ByteLevel(mergesAsArrays: true).ToJsonString());
        var ids = fromStrings.Encode("hello world");
        Assert.Equal(ids, fromArrays.Encode("hello world"));
        Assert.Equal("hello", fromStrings.IdToToken(ids[0]));
        Assert.Equal("Ġwo", fromStrings.IdToToken(ids[1]));
        Assert.Equal("hello world", fromStrings.Decode(ids));
    }

    [Fact]
    public void Encode_AddedTokenWithStripFlags_AbsorbsWhitespace()
    {
        var added = new JsonArray(
            TinyTokenizers.Added(300, "<mask>", lstrip: true, rstrip: true),
            TinyTokenizers.Added(301, "<m>", special: false));
        var tokenizer = Tokenizer.FromJson(TinyTokenizers.ByteLevel(addedTokens: added).ToJsonString());
        var ids = tokenizer.Encode("a  <mask>  b");
        Assert.Equal(new[] { tokenizer.TokenToId("a")!.Value, 300, tokenizer.TokenToId("b")!.Value }, ids);
        var plain = tokenizer.Encode("a <m> b");
        Assert.Contains(301, plain);
        Assert.Equal(tokenizer.TokenToId("Ġ"), plain[plain.ToList().IndexOf(301) + 1]);
    }

    [Fact]
    public void Encode_SingleWordAddedToken_OnlyMatchesWholeWords()
    {
        var added = new JsonArray(TinyTokenizers.Added(300, "ok", singleWord: true));
        var tokenizer = Tokenizer.FromJson(TinyTokenizers.ByteLevel(addedTokens: added).ToJsonString());
        Assert.Contains(300, tokenizer.Encode("it is ok."));
        Assert.DoesNotContain(300, tokenizer.Encode("books"));
    }

    [Fact]
    public void Encode_LongestAddedTokenWins()
    {
        var added = new JsonArray(TinyTokenizers.Added(300, "<|a"), TinyTokenizers.Added(301, "<|a|>"));
        var tokenizer = Tokenizer.FromJson(TinyTokenizers.ByteLevel(addedTokens: added).ToJsonString());
        Assert.Equal(new[] { 301 }, tokenizer.Encode("<|a|>"));
    }

    [Fact]
    public void FromJson_MetaspacePreTokenizerVariant_MatchesSentencePiece()
    {
        // The legacy Llama/Mistral layout: no normalizer, a Metaspace pre-tokenizer and decoder.
        var json = JsonNode.Parse(File.ReadAllText(TokenizerFixtures.TestData("sp_bpe_tokenizer.json")))!.AsObject();
        json["normalizer"] = null;
        json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = false };
        json["decoder"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["decoders"] = new JsonArray(
                new JsonObject { ["type"] = "ByteFallback" },
                new JsonObject { ["type"] = "Fuse" },
                new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = false }),
        };
        var tokenizer = Tokenizer.FromJson(json.ToJsonString());
        var golden = TokenizerFixtures.LoadJson(TokenizerFixtures.TestData("sp_bpe_golden.json"));
        var compared = 0;
        foreach (var c in golden.GetProperty("cases").EnumerateArray())
        {
            var text = c.GetProperty("text").GetString()!;
            if (text.Contains("<s>", StringComparison.Ordinal) || text.Contains("</s>", StringComparison.Ordinal))
            {
                continue;
            }
            var ids = tokenizer.Encode(text);
            if (text.StartsWith(' '))
            {
                // HF's Metaspace does not prepend ▁ when the text already starts with one (a space), unlike
                // sentencepiece's dummy prefix; so " x" differs by the leading ▁ token. Decode then drops that space.
                Assert.Equal(text[1..], tokenizer.Decode(ids));
                continue;
            }
            compared++;
            Assert.Equal(TokenizerFixtures.Ints(c.GetProperty("ids")), ids);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
        Assert.Equal(39, compared);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"merges\": []}}")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"zero\"}, \"merges\": []}}")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [42]}}")]
    [InlineData("{\"added_tokens\": [{\"content\": \"x\"}], \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}}")]
    public void FromJson_Malformed_ThrowsFormatException(string json)
    {
        var e = Assert.Throws<FormatException>(() => Tokenizer.FromJson(json));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData("Unigram")]
    [InlineData("WordPiece")]
    [InlineData("WordLevel")]
    public void FromJson_UnsupportedModelType_ThrowsNotSupportedNamingIt(string type)
    {
        var json = $"{{\"model\": {{\"type\": \"{type}\", \"vocab\": {{\"a\": 0}}}}}}";
        var e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromJson(json));
        Assert.Contains(type, e.Message);
    }

    [Fact]
    public void FromJson_UnsupportedPreTokenizer_ThrowsNotSupportedNamingIt()
    {
        var json = TinyTokenizers.ByteLevel();
        json["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" };
        var e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromJson(json.ToJsonString()));
        Assert.Contains("BertPreTokenizer", e.Message);
    }

    [Fact]
    public void FromFile_Missing_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Tokenizer.FromFile("/nonexistent/tokenizer.json"));
    }
}
