namespace LlmSuite.Engine.Serving;

/// <summary>Engine-side state of one request: its n samples and timing.</summary>
internal sealed class RequestState
{
    public RequestState(EngineRequest request, int[] prompt, long arrivalTimestamp, long arrival)
    {
        Request = request;
        Prompt = prompt;
        ArrivalTimestamp = arrivalTimestamp;
        Arrival = arrival;
    }

    public EngineRequest Request { get; }
    public int[] Prompt { get; }
    public long ArrivalTimestamp { get; }
    public long Arrival { get; }
    public SampleState[] Samples { get; set; } = [];
    public bool Forked { get; set; }
    public bool FirstTokenSeen { get; set; }
    public int CompletionTokens { get; set; }

    public int CachedTokens => Samples[0].Sequence?.NumCachedTokens ?? 0;

    public bool AllFinished
    {
        get
        {
            foreach (SampleState s in Samples)
            {
                if (!s.Finished)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public TokenUsage Usage => new(Prompt.Length, CompletionTokens, CachedTokens);
}
