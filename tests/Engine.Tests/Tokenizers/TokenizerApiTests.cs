using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>Special ids, vocabulary lookups and the list overload on the real tokenizer files.</summary>
public sealed class TokenizerApiTests
{
    [Fact]
    public void FromFile_Qwen3WithConfig_ExposesSpecialIds()
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer("qwen3");
        Assert.Equal(151669, tokenizer.VocabSize);
        Assert.Equal(151645, tokenizer.EosTokenId); // <|im_end|>
        Assert.Equal(151643, tokenizer.PadTokenId); // <|endoftext|>
        Assert.Null(tokenizer.BosTokenId);
        Assert.Null(tokenizer.UnkTokenId);
        Assert.Equal(151644, tokenizer.TokenToId("<|im_start|>"));
        Assert.True(tokenizer.IsSpecial(151644));
        Assert.False(tokenizer.IsSpecial(151657)); // <tool_call> is an added, non-special token
        Assert.Equal("<tool_call>", tokenizer.IdToToken(151657));
        Assert.Equal("Ġworld", tokenizer.IdToToken(1879));
        Assert.Equal(1879, tokenizer.TokenToId("Ġworld"));
        Assert.Null(tokenizer.TokenToId("no such token here"));
        Assert.Null(tokenizer.IdToToken(-1));
        Assert.Null(tokenizer.IdToToken(10_000_000));
    }

    [Fact]
    public void FromFile_Llama3AndMistral_ExposeSpecialIds()
    {
        var llama3 = TokenizerFixtures.LenmlTokenizer("llama3");
        Assert.Equal(128000, llama3.BosTokenId);
        Assert.Equal(128001, llama3.EosTokenId);
        Assert.Equal(128256, llama3.VocabSize);
        var mistral = TokenizerFixtures.LenmlTokenizer("llama2");
        Assert.Equal(1, mistral.BosTokenId);
        Assert.Equal(2, mistral.EosTokenId);
        Assert.Equal(0, mistral.UnkTokenId);
        Assert.Equal(32000, mistral.VocabSize);
        Assert.Equal(new[] { 1 }, mistral.PrefixTokenIds);
    }

    [Fact]
    public void Encode_ListOverload_AppendsSameIds()
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer("qwen3");
        var text = "<|im_start|>user\nHello, 世界 🍰<|im_end|>";
        var destination = new List<int> { 42 };
        tokenizer.Encode(text.AsSpan(), destination);
        Assert.Equal(42, destination[0]);
        Assert.Equal(tokenizer.Encode(text), destination.Skip(1));
        Assert.Equal(151644, destination[1]);
    }

    [Fact]
    public void Decode_SkipSpecialTokens_DropsOnlySpecialTokens()
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer("qwen3");
        var ids = tokenizer.Encode("<|im_start|>assistant\n<tool_call>x</tool_call><|im_end|>");
        Assert.Equal("assistant\n<tool_call>x</tool_call>", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void Decode_UnknownId_ThrowsArgumentOutOfRange()
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer("qwen3");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([1, 999_999]));
        Assert.Contains("999999", e.Message);
    }

    [Fact]
    public void Encode_Concurrently_GivesSameIds()
    {
        var tokenizer = TokenizerFixtures.LenmlTokenizer("llama3");
        var texts = Enumerable.Range(0, 64).Select(i => $"thread {i}: naïve café 🍰 {i * 7919} words words").ToArray();
        var expected = texts.Select(t => tokenizer.Encode(t)).ToArray();
        var actual = new int[texts.Length][];
        Parallel.For(0, texts.Length, i => actual[i] = tokenizer.Encode(texts[i]));
        Assert.Equal(expected, actual);
    }
}
