namespace LlmSuite.Engine.Formats.Gguf;

/// <summary>
/// The tokenizer section of GGUF metadata as plain data (tokenizer.ggml.* and tokenizer.chat_template), for the
/// tokenizer and chat-template code. Arrays are null when the file does not carry them.
/// </summary>
public sealed record GgufTokenizerData
{
    /// <summary>tokenizer.ggml.model: "gpt2" (byte-level BPE), "llama" (SentencePiece), "bert", ...</summary>
    public required string Model { get; init; }

    /// <summary>tokenizer.ggml.pre: the pre-tokenizer name ("llama-bpe", "qwen2", "default", ...).</summary>
    public string? Pre { get; init; }

    /// <summary>tokenizer.ggml.tokens: id → token text.</summary>
    public required string[] Tokens { get; init; }

    /// <summary>tokenizer.ggml.scores (SentencePiece).</summary>
    public float[]? Scores { get; init; }

    /// <summary>tokenizer.ggml.token_type (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).</summary>
    public int[]? TokenTypes { get; init; }

    /// <summary>tokenizer.ggml.merges ("a b" per merge, BPE).</summary>
    public string[]? Merges { get; init; }

    /// <summary>tokenizer.ggml.bos_token_id.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>tokenizer.ggml.eos_token_id.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>tokenizer.ggml.eot_token_id (end of turn), if present.</summary>
    public int? EotTokenId { get; init; }

    /// <summary>tokenizer.ggml.unknown_token_id.</summary>
    public int? UnknownTokenId { get; init; }

    /// <summary>tokenizer.ggml.padding_token_id.</summary>
    public int? PaddingTokenId { get; init; }

    /// <summary>tokenizer.ggml.add_bos_token.</summary>
    public bool? AddBosToken { get; init; }

    /// <summary>tokenizer.ggml.add_eos_token.</summary>
    public bool? AddEosToken { get; init; }

    /// <summary>tokenizer.chat_template (Jinja).</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Reads the tokenizer section; null when the file has no tokenizer.ggml.tokens.</summary>
    public static GgufTokenizerData? From(GgufMetadata m)
    {
        string[]? tokens = m.GetStringArray("tokenizer.ggml.tokens");
        if (tokens is null)
        {
            return null;
        }
        return new GgufTokenizerData
        {
            Model = m.GetString("tokenizer.ggml.model") ?? "",
            Pre = m.GetString("tokenizer.ggml.pre"),
            Tokens = tokens,
            Scores = m.GetFloatArray("tokenizer.ggml.scores"),
            TokenTypes = m.GetInt32Array("tokenizer.ggml.token_type"),
            Merges = m.GetStringArray("tokenizer.ggml.merges"),
            BosTokenId = m.GetInt32("tokenizer.ggml.bos_token_id"),
            EosTokenId = m.GetInt32("tokenizer.ggml.eos_token_id"),
            EotTokenId = m.GetInt32("tokenizer.ggml.eot_token_id"),
            UnknownTokenId = m.GetInt32("tokenizer.ggml.unknown_token_id"),
            PaddingTokenId = m.GetInt32("tokenizer.ggml.padding_token_id"),
            AddBosToken = m.GetBool("tokenizer.ggml.add_bos_token"),
            AddEosToken = m.GetBool("tokenizer.ggml.add_eos_token"),
            ChatTemplate = m.GetString("tokenizer.chat_template"),
        };
    }
}
