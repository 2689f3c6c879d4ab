namespace LlmSuite.Engine.Sampling;

/// <summary>
/// One sampled token. <see cref="Logprob"/> is the log-softmax of the RAW model logits (before logit bias, min_tokens
/// masking, penalties and temperature), as vLLM's default <c>logprobs_mode=raw_logprobs</c>; it is <see cref="float.NaN"/>
/// when the request asked for no logprobs (computing it costs a pass over the vocabulary).
/// <see cref="TopLogprobs"/> is null when no logprobs were requested, otherwise the requested number of most likely
/// tokens under the same raw distribution, most likely first (ties: lower token id first).
/// </summary>
public readonly record struct SampledToken(int TokenId, float Logprob, TopLogprob[]? TopLogprobs);

/// <summary>A token and its raw log-probability, an entry of <see cref="SampledToken.TopLogprobs"/>.</summary>
public readonly record struct TopLogprob(int TokenId, float Logprob);
