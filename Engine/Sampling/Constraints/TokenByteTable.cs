using System.Runtime.CompilerServices;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Sampling.Constraints;

/// <summary>
/// The UTF-8 bytes every token id decodes to, flattened (built once per tokenizer and vocabulary size, then shared).
/// Special tokens, ids the tokenizer does not know (padded vocabularies) and ids that decode to nothing have no bytes.
/// </summary>
public sealed class TokenByteTable
{
    private static readonly ConditionalWeakTable<Tokenizer, TokenByteTable> Cache = new();

    private readonly byte[] _data;     // [total bytes]
    private readonly int[] _offsets;   // [vocab + 1]

    private TokenByteTable(byte[] data, int[] offsets)
    {
        _data = data;
        _offsets = offsets;
    }

    /// <summary>Number of ids covered (the logits row length).</summary>
    public int VocabSize => _offsets.Length - 1;

    /// <summary>The bytes of <paramref name="id"/> (empty: special, unknown or empty token).</summary>
    public ReadOnlySpan<byte> this[int id] => _data.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);

    /// <summary>The table of <paramref name="tokenizer"/> for a logits row of <paramref name="vocabSize"/> entries (cached).</summary>
    public static TokenByteTable For(Tokenizer tokenizer, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        if (Cache.TryGetValue(tokenizer, out var cached) && cached.VocabSize == vocabSize)
            return cached;
        var table = Build(tokenizer, vocabSize);
        Cache.AddOrUpdate(tokenizer, table);
        return table;
    }

    private static TokenByteTable Build(Tokenizer tokenizer, int vocabSize)
    {
        var offsets = new int[vocabSize + 1];
        var data = new List<byte>(vocabSize * 4);
        var known = Math.Min(vocabSize, tokenizer.VocabSize);
        for (var id = 0; id < vocabSize; id++)
        {
            offsets[id] = data.Count;
            if (id < known && !tokenizer.IsSpecial(id) && tokenizer.IdToToken(id) is not null)
                data.AddRange(tokenizer.GetTokenBytes(id));
        }
        offsets[vocabSize] = data.Count;
        return new TokenByteTable([.. data], offsets);
    }

    /// <summary>A table from explicit byte strings (tests, non-tokenizer callers); index = token id.</summary>
    public static TokenByteTable FromBytes(IReadOnlyList<byte[]> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var offsets = new int[tokens.Count + 1];
        var data = new List<byte>();
        for (var id = 0; id < tokens.Count; id++)
        {
            offsets[id] = data.Count;
            data.AddRange(tokens[id] ?? []);
        }
        offsets[tokens.Count] = data.Count;
        return new TokenByteTable([.. data], offsets);
    }
}
