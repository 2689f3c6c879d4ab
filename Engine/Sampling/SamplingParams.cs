namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Per-request sampling parameters with OpenAI/vLLM semantics. Immutable; call <see cref="Validate"/> before use
/// (<see cref="SequenceSampler"/> does). Pipeline order, as vLLM v1: raw logprobs → min_tokens masking → logit bias →
/// penalties (repetition, frequency, presence) → greedy if temperature &lt; 1e-5, else temperature → min_p → top_k →
/// top_p → sample.
/// </summary>
public sealed record SamplingParams
{
    /// <summary>Temperatures below this are greedy (vLLM's <c>_SAMPLING_EPS</c>).</summary>
    public const float GreedyTemperatureEpsilon = 1e-5f;

    /// <summary>Largest number of top logprobs a request may ask for (vLLM's default <c>max_logprobs</c>, OpenAI's top_logprobs limit).</summary>
    public const int MaxLogprobs = 20;

    /// <summary>Number of parallel samples sharing the prompt (OpenAI <c>n</c>).</summary>
    public int N { get; init; } = 1;

    /// <summary>Softmax temperature, &gt;= 0; below <see cref="GreedyTemperatureEpsilon"/> the token is the argmax.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Nucleus mass in (0, 1]; 1 disables.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Keep the k most likely tokens (ties with the k-th are kept, as vLLM); 0 or -1 disables.</summary>
    public int TopK { get; init; }

    /// <summary>Drop tokens whose probability is below <c>min_p * max probability</c>; [0, 1], 0 disables.</summary>
    public float MinP { get; init; }

    /// <summary>vLLM repetition penalty over prompt and output tokens: positive logits divided, negative multiplied; &gt; 0, 1 disables.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>OpenAI presence penalty, subtracted once from every token generated so far; [-2, 2].</summary>
    public float PresencePenalty { get; init; }

    /// <summary>OpenAI frequency penalty, subtracted once per occurrence in the output; [-2, 2].</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Token id → bias added to its logit; ids in [0, vocab), values in [-100, 100].</summary>
    public IReadOnlyDictionary<int, float>? LogitBias { get; init; }

    /// <summary>Seed of the per-sequence generator; null draws a random seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Maximum number of generated tokens, &gt;= 1; null generates until the context ends.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>EOS and stop token ids are masked until this many tokens were generated.</summary>
    public int MinTokens { get; init; }

    /// <summary>Stop strings (non-empty); the output is cut before the first one that completes.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Token ids that end generation (in addition to EOS unless <see cref="IgnoreEos"/>).</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Keep generating after EOS (EOS is then an ordinary token).</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>null: no logprobs; k in [0, 20]: the sampled token's logprob plus the k most likely tokens.</summary>
    public int? Logprobs { get; init; }

    /// <summary>Keep the matched stop string at the end of the output text.</summary>
    public bool IncludeStopStrInOutput { get; init; }

    /// <summary>True when the token is the argmax of the processed logits (no randomness consumed).</summary>
    internal bool IsGreedy => Temperature < GreedyTemperatureEpsilon;

    /// <summary>
    /// Checks every parameter against the OpenAI/vLLM ranges for a model with <paramref name="vocabSize"/> tokens.
    /// Throws <see cref="SamplingParamsException"/> whose ParamName is the OpenAI parameter name.
    /// </summary>
    public void Validate(int vocabSize)
    {
        if (vocabSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "vocabSize must be positive.");
        if (N < 1)
            Fail("n", $"n must be at least 1, got {N}.");
        if (!float.IsFinite(Temperature) || Temperature < 0f)
            Fail("temperature", $"temperature must be a finite number >= 0, got {Temperature}.");
        if (!float.IsFinite(TopP) || TopP <= 0f || TopP > 1f)
            Fail("top_p", $"top_p must be in (0, 1], got {TopP}.");
        if (TopK < -1)
            Fail("top_k", $"top_k must be 0 or -1 (disabled) or at least 1, got {TopK}.");
        if (!float.IsFinite(MinP) || MinP < 0f || MinP > 1f)
            Fail("min_p", $"min_p must be in [0, 1], got {MinP}.");
        if (!float.IsFinite(RepetitionPenalty) || RepetitionPenalty <= 0f)
            Fail("repetition_penalty", $"repetition_penalty must be a finite number > 0, got {RepetitionPenalty}.");
        if (!float.IsFinite(PresencePenalty) || PresencePenalty < -2f || PresencePenalty > 2f)
            Fail("presence_penalty", $"presence_penalty must be in [-2, 2], got {PresencePenalty}.");
        if (!float.IsFinite(FrequencyPenalty) || FrequencyPenalty < -2f || FrequencyPenalty > 2f)
            Fail("frequency_penalty", $"frequency_penalty must be in [-2, 2], got {FrequencyPenalty}.");
        if (LogitBias is not null)
        {
            foreach (var (token, bias) in LogitBias)
            {
                if ((uint)token >= (uint)vocabSize)
                    Fail("logit_bias", $"logit_bias has token id {token}, outside the vocabulary [0, {vocabSize}).");
                if (!float.IsFinite(bias) || bias < -100f || bias > 100f)
                    Fail("logit_bias", $"logit_bias for token {token} must be in [-100, 100], got {bias}.");
            }
        }
        if (MaxTokens is { } max && max < 1)
            Fail("max_tokens", $"max_tokens must be at least 1, got {max}.");
        if (MinTokens < 0)
            Fail("min_tokens", $"min_tokens must be >= 0, got {MinTokens}.");
        if (MaxTokens is { } maxTokens && MinTokens > maxTokens)
            Fail("min_tokens", $"min_tokens ({MinTokens}) must be <= max_tokens ({maxTokens}).");
        if (Logprobs is { } k && (k < 0 || k > MaxLogprobs))
            Fail("logprobs", $"logprobs must be in [0, {MaxLogprobs}], got {k}.");
        if (Stop is null)
            Fail("stop", "stop must not be null; use an empty list.");
        for (var i = 0; i < Stop!.Count; i++)
        {
            if (string.IsNullOrEmpty(Stop[i]))
                Fail("stop", $"stop[{i}] is empty; stop strings must contain at least one character.");
        }
        if (StopTokenIds is null)
            Fail("stop_token_ids", "stop_token_ids must not be null; use an empty list.");
        for (var i = 0; i < StopTokenIds!.Count; i++)
        {
            if ((uint)StopTokenIds[i] >= (uint)vocabSize)
                Fail("stop_token_ids", $"stop_token_ids[{i}] = {StopTokenIds[i]} is outside the vocabulary [0, {vocabSize}).");
        }
    }

    private static void Fail(string parameter, string message) => throw new SamplingParamsException(parameter, message);
}
