using System.Numerics.Tensors;

namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Per-sequence mutable sampling state: seeded RNG (per-request reproducible: same seed + same params + same logits
/// ⇒ same tokens, whatever else is in the batch), counts of generated tokens for penalties, prompt token set for the
/// repetition penalty. Not thread-safe; one instance per sequence (for n &gt; 1 one per sample, with
/// <c>seedOverride = seed + index</c>).
/// </summary>
/// <remarks>
/// Pipeline of <see cref="Sample"/>, following vLLM v1's sampler:
/// raw logprobs (if requested) → min_tokens masking (EOS unless ignore_eos, and stop_token_ids get -inf) → logit bias →
/// repetition / frequency / presence penalties → greedy argmax when temperature &lt; 1e-5 (ties: lowest id) →
/// divide by temperature → min_p → top_k (ties with the k-th logit kept) → top_p (over the top-k renormalised
/// distribution) → inverse-CDF draw with one uniform from the sequence's xoshiro256** generator.
/// Work buffers are per thread (<see cref="SamplerScratch"/>), so a call allocates nothing except the
/// <see cref="TopLogprob"/> array when logprobs &gt; 0 are requested.
/// </remarks>
public sealed class SequenceSampler
{
    private readonly int _vocabSize;
    private readonly bool _greedy;
    private readonly float _temperature, _topP, _minP;
    private readonly int _topK;                       // 0 => off
    private readonly int _minTokens;
    private readonly int? _logprobs;
    private readonly int[] _minTokensMaskIds;         // [m] EOS (unless ignore_eos) ∪ stop_token_ids
    private readonly int[] _biasIds;                  // [b]
    private readonly float[] _biasValues;             // [b]
    private readonly PenaltyState _penalties;
    private Xoshiro256StarStar _rng;

    /// <summary>Gap below the max logit (nats) of the successive candidate thresholds tried for top-k.</summary>
    private static readonly float[] TopKWidenings = [4f, 8f, 16f, 32f, float.PositiveInfinity];

    /// <summary>Creates the state of one sequence; validates <paramref name="p"/> (throws <see cref="SamplingParamsException"/>).</summary>
    /// <param name="p">Request parameters.</param>
    /// <param name="promptTokens">Prompt token ids (repetition penalty); each in [0, vocabSize).</param>
    /// <param name="vocabSize">Length of the logits row passed to <see cref="Sample"/>.</param>
    /// <param name="eosTokenIds">The model's EOS ids (masked until min_tokens unless ignore_eos).</param>
    /// <param name="seedOverride">Seed to use instead of <see cref="SamplingParams.Seed"/> (n &gt; 1: seed + index).</param>
    public SequenceSampler(SamplingParams p, ReadOnlySpan<int> promptTokens, int vocabSize, IReadOnlySet<int> eosTokenIds, long? seedOverride = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(eosTokenIds);
        p.Validate(vocabSize);
        for (var i = 0; i < promptTokens.Length; i++)
        {
            if ((uint)promptTokens[i] >= (uint)vocabSize)
                throw new ArgumentOutOfRangeException(nameof(promptTokens), promptTokens[i], $"promptTokens[{i}] is outside the vocabulary [0, {vocabSize}).");
        }
        _vocabSize = vocabSize;
        _greedy = p.IsGreedy;
        _temperature = p.Temperature;
        _topP = p.TopP;
        _topK = p.TopK > 0 && p.TopK < vocabSize ? p.TopK : 0;
        _minP = p.MinP;
        _minTokens = p.MinTokens;
        _logprobs = p.Logprobs;

        var maskIds = new SortedSet<int>(p.StopTokenIds);
        if (!p.IgnoreEos)
        {
            foreach (var eos in eosTokenIds)
            {
                if ((uint)eos < (uint)vocabSize)
                    maskIds.Add(eos);
            }
        }
        _minTokensMaskIds = [.. maskIds];

        var bias = p.LogitBias is null ? [] : p.LogitBias.OrderBy(kv => kv.Key).ToArray();
        _biasIds = bias.Select(kv => kv.Key).ToArray();
        _biasValues = bias.Select(kv => kv.Value).ToArray();

        _penalties = new PenaltyState(p, promptTokens, vocabSize);
        var seed = seedOverride ?? p.Seed ?? Random.Shared.NextInt64(long.MinValue, long.MaxValue);
        _rng = new Xoshiro256StarStar(unchecked((ulong)seed));
    }

    /// <summary>Number of tokens sampled (and recorded) so far.</summary>
    public int GeneratedCount { get; private set; }

    /// <summary>
    /// Processes <paramref name="logits"/> (modified in place: it is scratch), samples the next token and records it.
    /// Throws <see cref="ArgumentException"/> when the row has the wrong length, or when it contains NaN / +infinity
    /// or every token ends up at -infinity.
    /// </summary>
    public SampledToken Sample(Span<float> logits /*[vocab]*/)
    {
        if (logits.Length != _vocabSize)
            throw new ArgumentException($"logits has {logits.Length} entries but this sampler was created for a vocabulary of {_vocabSize}.", nameof(logits));
        var scratch = SamplerScratch.For(_vocabSize);
        if (_logprobs is not null)
            logits.CopyTo(scratch.Raw);

        if (GeneratedCount < _minTokens)
        {
            foreach (var id in _minTokensMaskIds)
                logits[id] = float.NegativeInfinity;
        }
        for (var i = 0; i < _biasIds.Length; i++)
            logits[_biasIds[i]] += _biasValues[i];
        if (!_penalties.IsInactive)
            _penalties.Apply(logits);

        var token = _greedy ? Greedy(logits) : SampleRandom(logits, scratch);
        var result = _logprobs is { } k
            ? new SampledToken(token, RawLogprobs.Compute(scratch.Raw.AsSpan(0, _vocabSize), token, k, scratch, out var top), top)
            : new SampledToken(token, float.NaN, null);
        GeneratedCount++;
        _penalties.Record(token);
        return result;
    }

    private static int Greedy(ReadOnlySpan<float> x /*[vocab]*/)
    {
        var index = TensorPrimitives.IndexOfMax(x);
        CheckMax(x[index]);
        return index;
    }

    internal static void CheckMax(float max)
    {
        if (float.IsNaN(max))
            throw new ArgumentException("logits contain NaN (the model produced invalid values).", "logits");
        if (float.IsPositiveInfinity(max))
            throw new ArgumentException("logits contain +infinity (the model produced invalid values).", "logits");
        if (float.IsNegativeInfinity(max))
            throw new ArgumentException("every logit is -infinity after masking (min_tokens / logit_bias left no token to sample).", "logits");
    }

    private int SampleRandom(Span<float> x /*[vocab]*/, SamplerScratch scratch)
    {
        if (_temperature != 1f)
            TensorPrimitives.Divide(x, _temperature, x);
        var max = TensorPrimitives.Max(x);
        CheckMax(max);
        var lower = _minP > 0f ? max + MathF.Log(_minP) : float.NegativeInfinity;
        var keys = scratch.Keys.AsSpan(0, _vocabSize);
        var probs = scratch.Work.AsSpan(0, _vocabSize);
        var topP = _topP < 1f;
        if (_topK == 0 && !topP)
        {
            if (_minP <= 0f)
                return SampleFull(x, max, probs);
            var eligible = CandidateKeys.GatherAtLeast(x, lower, keys);
            return Draw(x, max, keys[..eligible], probs, double.PositiveInfinity);
        }

        int count;
        double nucleusMass; // p × the mass of the distribution top-p is taken over
        if (_topK > 0)
        {
            count = GatherTopK(x, max, lower, keys);
            double mass = 0;
            foreach (var key in keys[..count])
                mass += MathF.Exp(x[CandidateKeys.Id(key)] - max);
            nucleusMass = _topP * mass;
        }
        else if (_minP > 0f)
        {
            count = CandidateKeys.GatherAtLeast(x, lower, keys);
            keys[..count].Sort();
            double mass = 0;
            foreach (var key in keys[..count])
                mass += MathF.Exp(x[CandidateKeys.Id(key)] - max);
            nucleusMass = _topP * mass;
        }
        else
        {
            count = GatherNucleus(x, max, keys, probs, out nucleusMass);
        }
        return Draw(x, max, keys[..count], probs, topP ? nucleusMass : double.PositiveInfinity);
    }

    /// <summary>Sorted keys of the top-k tokens (plus ties with the k-th logit) among those &gt;= lower.</summary>
    private int GatherTopK(ReadOnlySpan<float> x, float max, float lower, Span<ulong> keys)
    {
        var n = 0;
        foreach (var delta in TopKWidenings)
        {
            var threshold = MathF.Max(max - delta, lower);
            n = CandidateKeys.GatherAtLeast(x, threshold, keys);
            if (n >= _topK || threshold == lower)
                break;
        }
        if (n <= _topK)
        {
            keys[..n].Sort();
            return n;
        }
        CandidateKeys.SelectSmallest(keys[..n], _topK);
        // vLLM keeps every token whose logit equals the k-th largest: find the k-th, then pull its ties forward.
        var kth = keys[0];
        foreach (var key in keys[.._topK])
            kth = key > kth ? key : kth;
        var kthLogit = x[CandidateKeys.Id(kth)];
        var count = _topK;
        for (var i = _topK; i < n; i++)
        {
            if (x[CandidateKeys.Id(keys[i])] == kthLogit)
                (keys[count], keys[i]) = (keys[i], keys[count++]);
        }
        keys[..count].Sort();
        return count;
    }

    /// <summary>
    /// Top-p alone over the full vocabulary: gathers (sorted) a set of most likely tokens whose mass is at least
    /// top_p × the total, trying tight thresholds first; the last threshold is provably sufficient because every
    /// excluded token has probability below (1 - top_p) / vocab.
    /// </summary>
    private int GatherNucleus(ReadOnlySpan<float> x, float max, Span<ulong> keys, Span<float> work, out double nucleusMass)
    {
        TensorPrimitives.Subtract(x, max, work);
        TensorPrimitives.Exp(work, work);
        double total = TensorPrimitives.Sum(work);
        nucleusMass = _topP * total;
        var guaranteed = max + MathF.Log((float)((1.0 - _topP) * total / _vocabSize));
        var n = 0;
        foreach (var threshold in (ReadOnlySpan<float>)[max - 4f, max - 8f, guaranteed, float.NegativeInfinity])
        {
            if (threshold < guaranteed && !float.IsNegativeInfinity(threshold))
                continue; // looser than the guaranteed threshold: skip to it
            n = CandidateKeys.GatherAtLeast(x, threshold, keys);
            double mass = 0;
            foreach (var key in keys[..n])
                mass += work[CandidateKeys.Id(key)];
            if (mass >= nucleusMass)
                break;
        }
        keys[..n].Sort();
        return n;
    }

    /// <summary>
    /// Draws among <paramref name="keys"/> (in their order) with weights exp(x - max); when
    /// <paramref name="nucleusMass"/> is finite, only the prefix whose preceding mass is below it is kept (top-p:
    /// a token is dropped when the more likely tokens already cover top_p of the mass; the first is always kept).
    /// </summary>
    private int Draw(ReadOnlySpan<float> x, float max, ReadOnlySpan<ulong> keys, Span<float> weights, double nucleusMass)
    {
        double kept = 0;
        var count = 0;
        for (; count < keys.Length; count++)
        {
            if (count > 0 && kept >= nucleusMass)
                break;
            var w = MathF.Exp(x[CandidateKeys.Id(keys[count])] - max);
            weights[count] = w;
            kept += w;
        }
        var u = _rng.NextDouble() * kept;
        double acc = 0;
        for (var i = 0; i < count; i++)
        {
            acc += weights[i];
            if (u < acc)
                return CandidateKeys.Id(keys[i]);
        }
        for (var i = count - 1; i > 0; i--) // rounding left u at the very end: last token with weight
        {
            if (weights[i] > 0f)
                return CandidateKeys.Id(keys[i]);
        }
        return CandidateKeys.Id(keys[0]);
    }

    /// <summary>Draws from the softmax of the whole row: exp into <paramref name="work"/>, block sums, then one block scanned.</summary>
    private int SampleFull(ReadOnlySpan<float> x, float max, Span<float> work)
    {
        const int Block = 2048;
        TensorPrimitives.Subtract(x, max, work);
        TensorPrimitives.Exp(work, work);
        var blocks = (work.Length + Block - 1) / Block;
        Span<float> blockSums = blocks <= 512 ? stackalloc float[blocks] : new float[blocks];
        double total = 0;
        for (var b = 0; b < blocks; b++)
        {
            var start = b * Block;
            blockSums[b] = TensorPrimitives.Sum(work.Slice(start, Math.Min(Block, work.Length - start)));
            total += blockSums[b];
        }
        var u = _rng.NextDouble() * total;
        double acc = 0;
        var lastPositive = 0;
        for (var b = 0; b < blocks; b++)
        {
            if (blockSums[b] <= 0f)
                continue;
            var start = b * Block;
            if (u < acc + blockSums[b])
            {
                var end = Math.Min(start + Block, work.Length);
                var lastInBlock = start;
                for (var i = start; i < end; i++)
                {
                    acc += work[i];
                    if (work[i] > 0f)
                        lastInBlock = i;
                    if (u < acc && work[i] > 0f)
                        return i;
                }
                return lastInBlock;
            }
            acc += blockSums[b];
            lastPositive = b;
        }
        var tail = lastPositive * Block;
        for (var i = Math.Min(tail + Block, work.Length) - 1; i > tail; i--)
        {
            if (work[i] > 0f)
                return i;
        }
        return tail;
    }
}
