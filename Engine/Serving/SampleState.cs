using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Scheduling;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Serving;

/// <summary>Per-sample (one of n) output state: sampler, detokenizer, stop matcher, timing.</summary>
internal sealed class SampleState
{
    public SampleState(RequestState request, int index, SequenceSampler sampler, Tokenizer? tokenizer)
    {
        Request = request;
        Index = index;
        Sampler = sampler;
        Decoder = tokenizer?.CreateIncrementalDecoder(request.Request.SkipSpecialTokens);
        IReadOnlyList<string> stops = request.Request.Sampling.Stop;
        Matcher = stops.Count > 0 ? new StopStringMatcher(stops, request.Request.Sampling.IncludeStopStrInOutput) : null;
    }

    public RequestState Request { get; }
    public int Index { get; }
    public SequenceSampler Sampler { get; }
    public IncrementalDecoder? Decoder { get; }
    public StopStringMatcher? Matcher { get; }
    public Sequence? Sequence { get; set; }
    public string? FinishReason { get; set; }
    public object? StopReason { get; set; }
    public long LastTokenTimestamp { get; set; }
    public bool Finished => FinishReason is not null;
}
