namespace LlmSuite.Engine.Tokenizers;

public sealed partial class Tokenizer
{
    private const int GgufTypeNormal = 1;
    private const int GgufTypeUnknown = 2;
    private const int GgufTypeControl = 3;
    private const int GgufTypeUserDefined = 4;
    private const int GgufTypeByte = 6;

    /// <summary>
    /// Builds a tokenizer from GGUF metadata (tokenizer.ggml.*).
    /// model "gpt2": byte-level BPE with explicit merges and a split regex chosen by preTokenizer
    /// ("llama-bpe"/"llama3"/"smaug-bpe" -> Llama-3, "qwen2" -> Qwen2, "default"/"gpt-2"/null -> GPT-2).
    /// model "llama": SentencePiece BPE; merges are implied by scores (higher score merges first), &lt;0xNN&gt;
    /// byte tokens (type 6) give byte fallback, and a "▁" prefix is added when addSpacePrefix (default true).
    /// Token types: 3 (control) become special added tokens, 4 (user defined) non-special added tokens.
    /// </summary>
    public static Tokenizer FromGguf(
        string model,
        IReadOnlyList<string> tokens,
        IReadOnlyList<string>? merges,
        float[]? scores,
        int[]? tokenTypes,
        int? bosTokenId = null,
        int? eosTokenId = null,
        int? unknownTokenId = null,
        int? paddingTokenId = null,
        string? preTokenizer = null,
        bool? addBosToken = null,
        bool? addEosToken = null,
        bool? addSpacePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokenTypes is not null && tokenTypes.Length != tokens.Count)
        {
            throw new ArgumentException($"token_type has {tokenTypes.Length} entries but there are {tokens.Count} tokens.", nameof(tokenTypes));
        }
        var vocab = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        var added = new List<AddedToken>();
        for (var id = 0; id < tokens.Count; id++)
        {
            vocab.TryAdd(tokens[id], id);
            var type = tokenTypes?[id] ?? GgufTypeNormal;
            if (type == GgufTypeControl || (type == GgufTypeUnknown && model == "llama"))
            {
                added.Add(new AddedToken(id, tokens[id], Special: true));
            }
            else if (type == GgufTypeUserDefined)
            {
                added.Add(new AddedToken(id, tokens[id], Special: false));
            }
        }
        foreach (var id in new[] { bosTokenId, eosTokenId, unknownTokenId, paddingTokenId })
        {
            if (id is int i && (i < 0 || i >= tokens.Count))
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), $"Special token id {i} is outside the vocabulary of {tokens.Count} tokens.");
            }
        }
        int[] prefix;
        int[] suffix;
        TokenizerParts parts;
        switch (model)
        {
            case "gpt2":
            {
                if (merges is null)
                {
                    throw new ArgumentException("A 'gpt2' GGUF tokenizer needs tokenizer.ggml.merges.", nameof(merges));
                }
                var mergeTable = new Dictionary<long, long>(merges.Count);
                for (var rank = 0; rank < merges.Count; rank++)
                {
                    var text = merges[rank];
                    var space = text.IndexOf(' ', 1);
                    if (space < 0 || !vocab.TryGetValue(text[..space], out var left) || !vocab.TryGetValue(text[(space + 1)..], out var right)
                        || !vocab.TryGetValue(string.Concat(text.AsSpan(0, space), text.AsSpan(space + 1)), out var merged))
                    {
                        throw new FormatException($"GGUF merge #{rank} '{text}' does not name two vocabulary tokens whose concatenation is a token.");
                    }
                    mergeTable.TryAdd(BpeModel.PairKey(left, right), ((long)rank << 32) | (uint)merged);
                }
                var pattern = preTokenizer switch
                {
                    null or "default" or "gpt-2" or "gpt2" => PreTokenizerPatterns.Gpt2,
                    "llama-bpe" or "llama3" or "smaug-bpe" or "dbrx" => PreTokenizerPatterns.Cl100k,
                    "qwen2" or "qwen3" or "deepseek-r1-qwen" => PreTokenizerPatterns.Qwen2,
                    _ => throw new NotSupportedException($"GGUF pre-tokenizer '{preTokenizer}' is not supported."),
                };
                prefix = addBosToken == true && bosTokenId is int b ? [b] : [];
                suffix = addEosToken == true && eosTokenId is int e ? [e] : [];
                parts = new TokenizerParts
                {
                    // Llama-3's tokenizer.json sets ignore_merges (a pre-token found in the vocabulary is one token); llama.cpp does the same.
                    Model = new BpeModel(vocab, mergeTable, new BpeOptions
                    {
                        ByteLevel = true, UnkId = unknownTokenId, IgnoreMerges = pattern == PreTokenizerPatterns.Cl100k,
                    }),
                    PreTokenizer = new SequencePreTokenizer([
                        new SplitPreTokenizer(new RegexSplitter(pattern), SplitBehavior.Isolated, invert: false),
                        new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: false)]),
                    Decoder = new DecoderSpec { ByteLevel = true },
                    AddedTokens = added,
                    PrefixIds = prefix,
                    SuffixIds = suffix,
                    BosTokenId = bosTokenId,
                    EosTokenId = eosTokenId,
                    PadTokenId = paddingTokenId,
                };
                break;
            }
            case "llama":
            {
                if (scores is null || scores.Length != tokens.Count)
                {
                    throw new ArgumentException("A 'llama' GGUF tokenizer needs one score per token (tokenizer.ggml.scores).", nameof(scores));
                }
                // Only normal pieces are merge results; order by score (desc), then id.
                var order = Enumerable.Range(0, tokens.Count)
                    .Where(id => (tokenTypes?[id] ?? GgufTypeNormal) == GgufTypeNormal)
                    .OrderByDescending(id => scores[id]).ThenBy(id => id)
                    .Select((id, rank) => (tokens[id], (long)rank));
                var mergeTable = MergesFromRanks(vocab, order);
                var hasBytes = tokenTypes?.Contains(GgufTypeByte) ?? vocab.ContainsKey("<0x00>");
                prefix = addBosToken != false && bosTokenId is int b ? [b] : [];
                suffix = addEosToken == true && eosTokenId is int e ? [e] : [];
                var decoder = new DecoderSpec { ByteFallback = hasBytes, StripLeadingSpaces = addSpacePrefix != false ? 1 : 0 };
                decoder.Replacements.Add(("\u2581", " "));
                var normalizers = new List<Normalizer>();
                if (addSpacePrefix != false)
                {
                    normalizers.Add(new PrependNormalizer("\u2581"));
                }
                normalizers.Add(new ReplaceNormalizer(" ", null, "\u2581"));
                parts = new TokenizerParts
                {
                    Model = new BpeModel(vocab, mergeTable, new BpeOptions
                    {
                        ByteFallback = hasBytes, FuseUnk = true, UnkId = unknownTokenId ?? (vocab.TryGetValue("<unk>", out var u) ? u : null),
                    }),
                    Normalizer = new SequenceNormalizer(normalizers),
                    Decoder = decoder,
                    AddedTokens = added,
                    PrefixIds = prefix,
                    SuffixIds = suffix,
                    BosTokenId = bosTokenId,
                    EosTokenId = eosTokenId,
                    PadTokenId = paddingTokenId,
                };
                break;
            }
            default:
                throw new NotSupportedException($"GGUF tokenizer model '{model}' is not supported; expected 'gpt2' or 'llama'.");
        }
        return new Tokenizer(parts);
    }
}
