using System.Buffers;
using System.Text;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// A BPE tokenizer built from an HF tokenizer.json, a tiktoken file or GGUF metadata: byte-level BPE
/// (GPT-2, Llama-3, Qwen2/3) and SentencePiece-style BPE with byte fallback (Llama-2, Mistral).
/// Pipeline: added tokens are split out first, each remaining segment is normalized, pre-tokenized and encoded by
/// the model. Thread-safe.
/// </summary>
public sealed partial class Tokenizer : ITokenizer
{
    private readonly BpeModel _model;
    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly AddedTokenMatcher _addedMatcher;
    private readonly Dictionary<string, AddedToken> _addedByContent;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly string?[] _idToToken; // [VocabSize]
    private readonly byte[]?[] _tokenBytes; // [VocabSize]
    private readonly bool[] _special; // [VocabSize]
    private readonly int[] _prefixIds;
    private readonly int[] _suffixIds;

    [ThreadStatic]
    private static List<Piece>? t_pieces;

    internal Tokenizer(TokenizerParts parts)
    {
        _model = parts.Model;
        _normalizer = parts.Normalizer;
        _preTokenizer = parts.PreTokenizer;
        if (_preTokenizer is null && !_model.Options.ByteLevel && MetaspaceBoundarySplitter.IsExactFor(_model.Vocab.Keys))
        {
            _preTokenizer = new MetaspaceBoundarySplitter();
        }
        Decoding = parts.Decoder;
        _prefixIds = parts.PrefixIds;
        _suffixIds = parts.SuffixIds;
        _addedMatcher = new AddedTokenMatcher(parts.AddedTokens);
        _addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        _addedById = [];
        foreach (var token in parts.AddedTokens)
        {
            _addedByContent.TryAdd(token.Content, token);
            _addedById[token.Id] = token;
        }
        var size = Math.Max(_model.MaxId, parts.AddedTokens.Count == 0 ? -1 : parts.AddedTokens.Max(t => t.Id)) + 1;
        VocabSize = size;
        _idToToken = new string?[size];
        _tokenBytes = new byte[]?[size];
        _special = new bool[size];
        foreach (var (token, id) in _model.Vocab)
        {
            _idToToken[id] = token;
        }
        foreach (var token in parts.AddedTokens)
        {
            _idToToken[token.Id] = token.Content;
            _tokenBytes[token.Id] = Encoding.UTF8.GetBytes(token.Content);
            _special[token.Id] = token.Special;
        }
        BosTokenId = parts.BosTokenId;
        EosTokenId = parts.EosTokenId;
        PadTokenId = parts.PadTokenId;
        UnkTokenId = parts.Model.Options.UnkId;
    }

    /// <inheritdoc/>
    public int VocabSize { get; }

    /// <inheritdoc/>
    public int? BosTokenId { get; }

    /// <inheritdoc/>
    public int? EosTokenId { get; }

    /// <inheritdoc/>
    public int? PadTokenId { get; }

    /// <inheritdoc/>
    public int? UnkTokenId { get; }

    /// <summary>The added tokens (special and not), in id order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => [.. _addedById.Values.OrderBy(t => t.Id)];

    /// <summary>Ids added before the text when encoding with addSpecialTokens (e.g. BOS).</summary>
    public IReadOnlyList<int> PrefixTokenIds => _prefixIds;

    /// <summary>Ids added after the text when encoding with addSpecialTokens (e.g. EOS).</summary>
    public IReadOnlyList<int> SuffixTokenIds => _suffixIds;

    internal DecoderSpec Decoding { get; }

    internal int MergeCount => _model.MergeCount;

    /// <inheritdoc/>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text.AsSpan(), ids, addSpecialTokens);
        return [.. ids];
    }

    /// <inheritdoc/>
    public void Encode(ReadOnlySpan<char> text, List<int> destination, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (addSpecialTokens)
        {
            destination.AddRange(_prefixIds);
        }
        var position = 0;
        while (_addedMatcher.TryFindNext(text, position, out var start, out var end, out var token))
        {
            EncodeSegment(text[position..start], position == 0, destination);
            destination.Add(token!.Id);
            position = end;
        }
        EncodeSegment(text[position..], position == 0, destination);
        if (addSpecialTokens)
        {
            destination.AddRange(_suffixIds);
        }
    }

    private void EncodeSegment(ReadOnlySpan<char> segment, bool isFirst, List<int> destination)
    {
        if (segment.IsEmpty)
        {
            return;
        }
        var normalized = _normalizer?.Apply(segment);
        var text = normalized is null ? segment : normalized.AsSpan();
        if (_preTokenizer is null)
        {
            _model.EncodeWord(text, destination);
            return;
        }
        var rewritten = _preTokenizer.Rewrite(text, isFirst);
        if (rewritten is not null)
        {
            text = rewritten;
        }
        var pieces = t_pieces ?? new List<Piece>();
        t_pieces = null;
        try
        {
            pieces.Clear();
            _preTokenizer.Split(text, new Piece(0, text.Length), pieces);
            foreach (var piece in pieces)
            {
                _model.EncodeWord(text.Slice(piece.Start, piece.Length), destination);
            }
        }
        finally
        {
            t_pieces = pieces;
        }
    }

    /// <inheritdoc/>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var decoder = new IncrementalDecoder(this, skipSpecialTokens);
        foreach (var id in ids)
        {
            decoder.AppendBytes(id);
        }
        return decoder.TakeComplete(final: true);
    }

    /// <inheritdoc/>
    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);

    /// <inheritdoc/>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_addedByContent.TryGetValue(token, out var added))
        {
            return added.Id;
        }
        return _model.TryGetId(token, out var id) ? id : null;
    }

    /// <inheritdoc/>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <inheritdoc/>
    public bool IsSpecial(int id) => (uint)id < (uint)_special.Length && _special[id];

    /// <summary>The bytes an id decodes to; computed on first use (a benign race: every thread computes the same bytes).</summary>
    internal byte[] GetTokenBytes(int id)
    {
        if ((uint)id >= (uint)_tokenBytes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary (size {VocabSize}).");
        }
        if (_tokenBytes[id] is { } bytes)
        {
            return bytes;
        }
        var token = _idToToken[id]
            ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary (no token has this id).");
        return _tokenBytes[id] = Decoding.TokenBytes(token);
    }
}

/// <summary>The parts a <see cref="Tokenizer"/> is assembled from.</summary>
internal sealed class TokenizerParts
{
    public required BpeModel Model { get; init; }
    public Normalizer? Normalizer { get; init; }
    public PreTokenizer? PreTokenizer { get; init; }
    public required DecoderSpec Decoder { get; init; }
    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];
    public int[] PrefixIds { get; init; } = [];
    public int[] SuffixIds { get; init; } = [];
    public int? BosTokenId { get; init; }
    public int? EosTokenId { get; init; }
    public int? PadTokenId { get; init; }
}
