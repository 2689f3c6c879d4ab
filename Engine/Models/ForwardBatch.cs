namespace LlmSuite.Engine.Models;

/// <summary>One sequence's contiguous run of tokens inside a <see cref="ForwardBatch"/>.</summary>
/// <param name="SequenceId">Cache slot / sequence id.</param>
/// <param name="Start">Index of the first token in the batch.</param>
/// <param name="Length">Number of tokens.</param>
/// <param name="StartPosition">Position of the first token in its sequence (tokens before it are in the cache).</param>
/// <param name="AllLogits">Logits for every token of the span instead of only the last.</param>
public readonly record struct SequenceSpan(int SequenceId, int Start, int Length, int StartPosition, bool AllLogits);

/// <summary>
/// The tokens of one forward step: spans of different sequences (prefill chunks and single decode tokens mixed),
/// each with its start position. Preallocated for a maximum token count; <see cref="Clear"/> and reuse per step.
/// </summary>
public sealed class ForwardBatch
{
    private readonly int[] _tokens;     // [maxTokens]
    private readonly int[] _positions;  // [maxTokens]
    private readonly int[] _sequences;  // [maxTokens] sequence id of each token
    private readonly SequenceSpan[] _spans;

    /// <summary>Allocates room for <paramref name="maxTokens"/> tokens in up to <paramref name="maxSpans"/> spans.</summary>
    public ForwardBatch(int maxTokens, int maxSpans)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSpans);
        _tokens = new int[maxTokens];
        _positions = new int[maxTokens];
        _sequences = new int[maxTokens];
        _spans = new SequenceSpan[maxSpans];
    }

    /// <summary>Tokens in the batch.</summary>
    public int TokenCount { get; private set; }

    /// <summary>Spans in the batch.</summary>
    public int SpanCount { get; private set; }

    /// <summary>Rows of logits the forward pass writes: per span 1, or its length when AllLogits.</summary>
    public int LogitRows { get; private set; }

    /// <summary>Capacity in tokens.</summary>
    public int MaxTokens => _tokens.Length;

    /// <summary>Token ids [TokenCount].</summary>
    public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, TokenCount);

    /// <summary>Positions [TokenCount].</summary>
    public ReadOnlySpan<int> Positions => _positions.AsSpan(0, TokenCount);

    /// <summary>Sequence id of each token [TokenCount].</summary>
    public ReadOnlySpan<int> SequenceIds => _sequences.AsSpan(0, TokenCount);

    /// <summary>Spans [SpanCount], in the order their logits rows are written.</summary>
    public ReadOnlySpan<SequenceSpan> Spans => _spans.AsSpan(0, SpanCount);

    internal int[] TokenArray => _tokens;
    internal int[] PositionArray => _positions;
    internal int[] SequenceArray => _sequences;
    internal SequenceSpan[] SpanArray => _spans;

    /// <summary>Empties the batch.</summary>
    public void Clear()
    {
        TokenCount = 0;
        SpanCount = 0;
        LogitRows = 0;
    }

    /// <summary>Appends <paramref name="tokens"/> of sequence <paramref name="sequenceId"/> at positions startPosition, startPosition + 1, ...</summary>
    public void Add(int sequenceId, ReadOnlySpan<int> tokens, int startPosition, bool allLogits = false)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("a span needs at least one token", nameof(tokens));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(startPosition);
        if (TokenCount + tokens.Length > _tokens.Length)
        {
            throw new InvalidOperationException($"the batch holds at most {_tokens.Length} tokens; {TokenCount} are used and {tokens.Length} more were added");
        }
        if (SpanCount == _spans.Length)
        {
            throw new InvalidOperationException($"the batch holds at most {_spans.Length} spans");
        }
        foreach (SequenceSpan s in Spans)
        {
            if (s.SequenceId == sequenceId)
            {
                throw new InvalidOperationException($"sequence {sequenceId} already has a span in this batch");
            }
        }
        _spans[SpanCount++] = new SequenceSpan(sequenceId, TokenCount, tokens.Length, startPosition, allLogits);
        for (int i = 0; i < tokens.Length; i++)
        {
            _tokens[TokenCount + i] = tokens[i];
            _positions[TokenCount + i] = startPosition + i;
            _sequences[TokenCount + i] = sequenceId;
        }
        TokenCount += tokens.Length;
        LogitRows += allLogits ? tokens.Length : 1;
    }
}
