using LlmSuite.Engine.Sampling;

namespace LlmSuite.Engine.Serving;

/// <summary>Finish reasons, as the OpenAI API and vLLM report them.</summary>
public static class FinishReasons
{
    /// <summary>EOS, a stop token id or a stop string.</summary>
    public const string Stop = "stop";

    /// <summary>max_tokens, the model context or the whole KV cache reached.</summary>
    public const string Length = "length";

    /// <summary>Aborted by the caller (cancel, disconnect).</summary>
    public const string Abort = "abort";
}

/// <summary>Token counts of a request so far.</summary>
/// <param name="PromptTokens">Prompt tokens.</param>
/// <param name="CompletionTokens">Generated tokens over all n samples.</param>
/// <param name="CachedTokens">Prompt tokens served from the prefix cache.</param>
public readonly record struct TokenUsage(int PromptTokens, int CompletionTokens, int CachedTokens);

/// <summary>
/// A streamed delta of one sample (<see cref="Index"/> in [0, n)) of a request: the tokens generated since the
/// previous delta, their text, and the finish reason once that sample is done. <see cref="Finished"/> marks the
/// request's last delta (every sample done).
/// </summary>
public sealed record RequestOutput
{
    /// <summary>The request.</summary>
    public required string RequestId { get; init; }

    /// <summary>Which of the n samples.</summary>
    public int Index { get; init; }

    /// <summary>New token ids.</summary>
    public IReadOnlyList<int> TokenIds { get; init; } = [];

    /// <summary>New text (stop strings and held-back partial matches excluded).</summary>
    public string Text { get; init; } = "";

    /// <summary>Per new token: its logprob and top logprobs, when requested.</summary>
    public IReadOnlyList<SampledToken>? Logprobs { get; init; }

    /// <summary>"stop", "length" or "abort" when this sample finished, else null.</summary>
    public string? FinishReason { get; init; }

    /// <summary>The stop string or stop token id that ended the sample (null for EOS or length).</summary>
    public object? StopReason { get; init; }

    /// <summary>Whether the whole request is done (the last delta).</summary>
    public bool Finished { get; init; }

    /// <summary>Usage so far.</summary>
    public TokenUsage Usage { get; init; }
}
