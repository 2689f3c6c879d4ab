namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Token history a sequence needs for vLLM's penalties: the set of tokens seen in prompt or output (repetition
/// penalty) and the per-token counts of generated tokens (presence/frequency). Each part is allocated only when its
/// penalty is active; applying touches only the distinct tokens seen, never the whole vocabulary.
/// </summary>
internal sealed class PenaltyState
{
    private readonly float _repetition, _presence, _frequency;
    private readonly ulong[]? _seenBits;     // [ceil(vocab / 64)] prompt ∪ output membership
    private int[] _seenIds;                  // [seenCount] distinct prompt ∪ output ids
    private int _seenCount;
    private readonly int[]? _outputCounts;   // [vocab] occurrences in the output
    private int[] _outputIds;                // [outputDistinct] distinct output ids
    private int _outputDistinct;

    public PenaltyState(SamplingParams p, ReadOnlySpan<int> promptTokens, int vocabSize)
    {
        _repetition = p.RepetitionPenalty;
        _presence = p.PresencePenalty;
        _frequency = p.FrequencyPenalty;
        var expectedOutput = Math.Min(vocabSize, p.MaxTokens ?? 256);
        _seenIds = [];
        _outputIds = [];
        if (_repetition != 1f)
        {
            _seenBits = new ulong[(vocabSize + 63) / 64];
            _seenIds = new int[Math.Min(vocabSize, promptTokens.Length + expectedOutput)];
            foreach (var token in promptTokens)
                MarkSeen(token);
        }
        if (_presence != 0f || _frequency != 0f)
        {
            _outputCounts = new int[vocabSize];
            _outputIds = new int[expectedOutput];
        }
    }

    /// <summary>True when no penalty changes any logit.</summary>
    public bool IsInactive => _seenBits is null && _outputCounts is null;

    /// <summary>Records a generated token.</summary>
    public void Record(int token)
    {
        if (_seenBits is not null)
            MarkSeen(token);
        if (_outputCounts is not null && _outputCounts[token]++ == 0)
        {
            if (_outputDistinct == _outputIds.Length)
                Grow(ref _outputIds);
            _outputIds[_outputDistinct++] = token;
        }
    }

    /// <summary>
    /// vLLM order: repetition (tokens in prompt or output: logit &gt; 0 divided by the penalty, otherwise multiplied),
    /// then frequency (minus penalty × count) and presence (minus penalty once) over output tokens.
    /// </summary>
    public void Apply(Span<float> logits /*[vocab]*/)
    {
        if (_seenBits is not null)
        {
            var penalty = _repetition;
            foreach (var token in _seenIds.AsSpan(0, _seenCount))
            {
                var x = logits[token];
                logits[token] = x > 0f ? x / penalty : x * penalty;
            }
        }
        if (_outputCounts is not null)
        {
            foreach (var token in _outputIds.AsSpan(0, _outputDistinct))
                logits[token] = logits[token] - _frequency * _outputCounts[token] - _presence;
        }
    }

    private void MarkSeen(int token)
    {
        ref var word = ref _seenBits![token >> 6];
        var bit = 1UL << (token & 63);
        if ((word & bit) != 0)
            return;
        word |= bit;
        if (_seenCount == _seenIds.Length)
            Grow(ref _seenIds);
        _seenIds[_seenCount++] = token;
    }

    private static void Grow(ref int[] array) => Array.Resize(ref array, Math.Max(16, array.Length * 2));
}
