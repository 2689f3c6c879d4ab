using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Sampling.Constraints;

namespace LlmSuite.Engine.Serving;

/// <summary>One generation request: a tokenized prompt and how to sample it.</summary>
public sealed record EngineRequest
{
    /// <summary>Caller-chosen unique id (the x-request-id), the handle for <see cref="LlmEngine.Abort"/>.</summary>
    public required string RequestId { get; init; }

    /// <summary>Prompt token ids (chat template already applied).</summary>
    public required IReadOnlyList<int> PromptTokenIds { get; init; }

    /// <summary>Sampling parameters (n, temperature, stop, max_tokens, logprobs, ...).</summary>
    public SamplingParams Sampling { get; init; } = new();

    /// <summary>Lower is scheduled first (vLLM priority); ties are first come, first served.</summary>
    public int Priority { get; init; }

    /// <summary>Per-tenant salt of the prefix cache (vLLM cache_salt): only requests with the same salt share blocks.</summary>
    public string? CacheSalt { get; init; }

    /// <summary>Leave special tokens out of the streamed text.</summary>
    public bool SkipSpecialTokens { get; init; } = true;

    /// <summary>What the output must be: <see cref="OutputConstraint.JsonObject"/> = one JSON object, then stop (needs a tokenizer).</summary>
    public OutputConstraint Constraint { get; init; }
}
