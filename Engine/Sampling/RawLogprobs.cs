namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Log-probabilities under the raw model distribution (log-softmax of the logits before any processing), vLLM's
/// default <c>logprobs_mode=raw_logprobs</c>: what the model believed, independent of the request's penalties,
/// bias and temperature.
/// </summary>
internal static class RawLogprobs
{
    /// <summary>
    /// Returns the logprob of <paramref name="token"/> and sets <paramref name="top"/> to the <paramref name="k"/> most
    /// likely tokens (most likely first, ties by lower id); an empty array when k is 0.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> raw /*[vocab]*/, int token, int k, SamplerScratch scratch, out TopLogprob[] top)
    {
        var max = SamplingKernels.Max(raw);
        SequenceSampler.CheckMax(max);
        var logSum = (float)Math.Log(SamplingKernels.ExpShifted(raw, max, scratch.Work.AsSpan(0, raw.Length)));
        if (k == 0)
        {
            top = [];
            return raw[token] - max - logSum;
        }

        var keys = scratch.Keys.AsSpan(0, raw.Length);
        var n = CandidateKeys.GatherTop(raw, max, float.NegativeInfinity, k, keys);
        var taken = Math.Min(k, n);
        CandidateKeys.SelectSmallest(keys[..n], taken);
        keys[..taken].Sort();
        top = new TopLogprob[taken];
        for (var i = 0; i < taken; i++)
        {
            var id = CandidateKeys.Id(keys[i]);
            top[i] = new TopLogprob(id, raw[id] - max - logSum);
        }
        return raw[token] - max - logSum;
    }
}
