namespace LlmSuite.Engine.Tokenizers;

/// <summary>Text to token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>Number of ids (vocabulary plus added tokens; the largest id + 1).</summary>
    int VocabSize { get; }

    /// <summary>Beginning-of-sequence token id, if known.</summary>
    int? BosTokenId { get; }

    /// <summary>End-of-sequence token id, if known.</summary>
    int? EosTokenId { get; }

    /// <summary>Padding token id, if known.</summary>
    int? PadTokenId { get; }

    /// <summary>Unknown token id, if the model has one.</summary>
    int? UnkTokenId { get; }

    /// <summary>Encodes text; added/special tokens written in the text are recognised. addSpecialTokens adds BOS/EOS per the post-processor.</summary>
    int[] Encode(string text, bool addSpecialTokens = false);

    /// <summary>Encodes text, appending ids to destination (no allocation in the steady state).</summary>
    void Encode(ReadOnlySpan<char> text, List<int> destination, bool addSpecialTokens = false);

    /// <summary>Decodes ids to text (invalid UTF-8 becomes U+FFFD).</summary>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a token string (vocabulary form, e.g. "Ġthe" or "▁the"), or null.</summary>
    int? TokenToId(string token);

    /// <summary>The token string of an id, or null.</summary>
    string? IdToToken(int id);

    /// <summary>Whether the id is a special (control) token.</summary>
    bool IsSpecial(int id);

    /// <summary>Creates a streaming decoder.</summary>
    IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = false);
}
