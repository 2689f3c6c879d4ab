namespace LlmSuite.Engine.Scheduling;

/// <summary>Limits of one scheduling step.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Most tokens (decode tokens + prefill chunk tokens) in one step (vLLM max_num_batched_tokens).</summary>
    public int MaxNumBatchedTokens { get; init; } = 512;

    /// <summary>Most sequences running at once (vLLM max_num_seqs).</summary>
    public int MaxNumSeqs { get; init; } = 64;

    /// <summary>Whether a prompt may be split across steps; when false a prompt must fit the remaining budget whole.</summary>
    public bool EnableChunkedPrefill { get; init; } = true;
}
