using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Sampling.Constraints;

namespace LlmSuite.InferenceService.Generation;

/// <summary>What both API dialects hand to <see cref="Generator"/>: a tokenized prompt and how to sample it.</summary>
public sealed record GenerationRequest
{
    /// <summary>Prompt token ids (template applied).</summary>
    public required int[] PromptIds { get; init; }

    /// <summary>Sampling parameters; <see cref="SamplingParams.MaxTokens"/> null = up to the end of the context.</summary>
    public required SamplingParams Sampling { get; init; }

    /// <summary>The parameter that carried the prompt ("messages", "prompt"), named in context-length errors.</summary>
    public string PromptParam { get; init; } = "prompt";

    /// <summary>The parameter that carried max_tokens, named when prompt + max_tokens exceed the context.</summary>
    public string MaxTokensParam { get; init; } = "max_tokens";

    /// <summary>A context smaller than the model's that the client asked for (Ollama's options.num_ctx): prompt and
    /// completion must fit in it. Never a reason to truncate: a prompt beyond it is refused with the counts.</summary>
    public int? ContextLimit { get; init; }

    /// <summary>The parameter that carried <see cref="ContextLimit"/>.</summary>
    public string ContextParam { get; init; } = "options.num_ctx";

    /// <summary>Lower is scheduled first.</summary>
    public int Priority { get; init; }

    /// <summary>Prefix-cache salt.</summary>
    public string? CacheSalt { get; init; }

    /// <summary>Leave special tokens out of the text.</summary>
    public bool SkipSpecialTokens { get; init; } = true;

    /// <summary>What the output must be (JSON mode: one JSON object).</summary>
    public OutputConstraint Constraint { get; init; }

    /// <summary>How long the model stays loaded after this request (null = the configured default).</summary>
    public TimeSpan? KeepAlive { get; init; }
}
