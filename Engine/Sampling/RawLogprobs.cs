using System.Numerics.Tensors;

namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Log-probabilities under the raw model distribution (log-softmax of the logits before any processing), vLLM's
/// default <c>logprobs_mode=raw_logprobs</c>: what the model believed, independent of the request's penalties,
/// bias and temperature.
/// </summary>
internal static class RawLogprobs
{
    /// <summary>Gap below the max logit (nats) of the successive candidate thresholds tried for the top logprobs.</summary>
    private static readonly float[] Widenings = [4f, 8f, 16f, float.PositiveInfinity];

    /// <summary>
    /// Returns the logprob of <paramref name="token"/> and sets <paramref name="top"/> to the <paramref name="k"/> most
    /// likely tokens (most likely first, ties by lower id); an empty array when k is 0.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> raw /*[vocab]*/, int token, int k, SamplerScratch scratch, out TopLogprob[] top)
    {
        var max = TensorPrimitives.Max(raw);
        SequenceSampler.CheckMax(max);
        var work = scratch.Work.AsSpan(0, raw.Length);
        TensorPrimitives.Subtract(raw, max, work);
        TensorPrimitives.Exp(work, work);
        var logSum = (float)Math.Log(TensorPrimitives.Sum(work));
        if (k == 0)
        {
            top = [];
            return raw[token] - max - logSum;
        }

        var keys = scratch.Keys.AsSpan(0, raw.Length);
        var n = 0;
        foreach (var delta in Widenings)
        {
            n = CandidateKeys.GatherAtLeast(raw, max - delta, keys);
            if (n >= k)
                break;
        }
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
