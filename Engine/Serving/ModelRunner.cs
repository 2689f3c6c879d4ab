using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Scheduling;

namespace LlmSuite.Engine.Serving;

/// <summary>
/// Turns a step's schedule into one <see cref="ForwardBatch"/> over the paged cache and runs the model; no policy.
/// Logits rows come back in schedule order, one per scheduled sequence.
/// </summary>
internal sealed class ModelRunner
{
    private readonly TransformerModel _model;
    private readonly PagedKvCache _cache;
    private readonly ForwardBatch _batch;
    private readonly float[] _logits;   // [maxSeqs, vocab]

    public ModelRunner(TransformerModel model, PagedKvCache cache, int maxTokens, int maxSeqs)
    {
        _model = model;
        _cache = cache;
        _batch = new ForwardBatch(maxTokens, maxSeqs);
        _logits = new float[(long)maxSeqs * model.VocabSize];
    }

    /// <summary>Runs the step; returns logits [scheduled.Count, vocab].</summary>
    public Span<float> Run(IReadOnlyList<ScheduledSequence> scheduled)
    {
        _batch.Clear();
        foreach (ScheduledSequence s in scheduled)
        {
            Sequence seq = s.Sequence;
            _cache.Bind(seq.Slot, seq.Blocks);
            _batch.Add(seq.Slot, seq.Tokens.Slice(s.Start, s.Count), s.Start);
        }
        Span<float> logits = _logits.AsSpan(0, scheduled.Count * _model.VocabSize);
        _model.Forward(_batch, _cache, logits);
        return logits;
    }
}
