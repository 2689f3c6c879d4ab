using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>Decode(Encode(x)) == x and streaming decode == batch decode, for every tokenizer family.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Names => new() { "qwen3", "llama3", "llama2", "sp_bpe", "cl100k_base", "o200k_base" };

    private static readonly Dictionary<string, Lazy<Tokenizer>> Tiktoken = new()
    {
        ["cl100k_base"] = new(() => FromTiktoken("cl100k_base")),
        ["o200k_base"] = new(() => FromTiktoken("o200k_base")),
    };

    private static Tokenizer FromTiktoken(string encoding) => Tokenizer.FromTiktoken(
        TokenizerFixtures.NodeModule($"gpt-tokenizer/data/{encoding}.tiktoken"),
        TiktokenEncodings.Pattern(encoding),
        TiktokenEncodings.SpecialTokens(encoding));

    internal static Tokenizer Get(string name) => name switch
    {
        "sp_bpe" => TokenizerFixtures.SentencePieceTokenizer(),
        "cl100k_base" or "o200k_base" => Tiktoken[name].Value,
        _ => TokenizerFixtures.LenmlTokenizer(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Decode_OfEncode_ReturnsOriginalText(string name)
    {
        var tokenizer = Get(name);
        foreach (var text in TokenizerFixtures.RoundTripTexts)
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void IncrementalDecoder_TokenByToken_ConcatenatesToDecodeWithoutReplacementChars(string name)
    {
        var tokenizer = Get(name);
        foreach (var text in TokenizerFixtures.RoundTripTexts)
        {
            var ids = tokenizer.Encode(text, addSpecialTokens: true);
            foreach (var skip in new[] { false, true })
            {
                var decoder = tokenizer.CreateIncrementalDecoder(skipSpecialTokens: skip);
                var streamed = new System.Text.StringBuilder();
                foreach (var id in ids)
                {
                    var delta = decoder.Append(id);
                    Assert.DoesNotContain('\uFFFD', delta);
                    Assert.False(delta.Length > 0 && char.IsHighSurrogate(delta[^1]), $"delta ends inside a surrogate pair: {name} '{text}'");
                    streamed.Append(delta);
                }
                streamed.Append(decoder.Flush());
                Assert.Equal(tokenizer.Decode(ids, skipSpecialTokens: skip), streamed.ToString());
            }
            Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: true));
        }
    }

    [Fact]
    public void IncrementalDecoder_EmojiSplitAcrossByteFallbackTokens_HoldsBackUntilComplete()
    {
        var tokenizer = Get("llama2");
        var ids = tokenizer.Encode("🍰");
        Assert.True(ids.Length >= 4, "🍰 should need byte-fallback tokens in the Mistral vocabulary");
        var decoder = tokenizer.CreateIncrementalDecoder();
        var deltas = ids.Select(decoder.Append).ToList();
        Assert.All(deltas.Take(deltas.Count - 1), d => Assert.DoesNotContain('\uFFFD', d));
        Assert.Equal("🍰", string.Concat(deltas));
    }

    [Fact]
    public void IncrementalDecoder_SentencePieceLeadingSpace_StrippedOnlyOnce()
    {
        var tokenizer = Get("llama2");
        var ids = tokenizer.Encode("Hello world", addSpecialTokens: true);
        var decoder = tokenizer.CreateIncrementalDecoder(skipSpecialTokens: true);
        var deltas = ids.Select(decoder.Append).ToList();
        Assert.Equal("Hello world", string.Concat(deltas));
        Assert.Equal(" world", deltas[^1]);
    }

    [Fact]
    public void IncrementalDecoder_Reset_StartsANewStream()
    {
        var tokenizer = Get("llama2");
        var decoder = tokenizer.CreateIncrementalDecoder();
        var ids = tokenizer.Encode("Hi there");
        decoder.Append(ids);
        decoder.Reset();
        Assert.Equal("Hi there", decoder.Append(ids) + decoder.Flush());
    }

    [Fact]
    public void CompleteLength_IncompleteSequences_AreHeldBack()
    {
        Assert.Equal(0, IncrementalDecoder.CompleteLength([0xF0, 0x9F, 0x8D]));
        Assert.Equal(1, IncrementalDecoder.CompleteLength([(byte)'a', 0xE4, 0xBD]));
        Assert.Equal(4, IncrementalDecoder.CompleteLength([0xF0, 0x9F, 0x8D, 0xB0]));
        Assert.Equal(2, IncrementalDecoder.CompleteLength([(byte)'a', 0x80])); // stray continuation: emitted (as U+FFFD)
        Assert.Equal(1, IncrementalDecoder.CompleteLength([0xFF]));
        Assert.Equal(0, IncrementalDecoder.CompleteLength([]));
    }
}
