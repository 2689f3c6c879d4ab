using System.Numerics.Tensors;
using LlmSuite.Engine.Sampling.Constraints;

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
/// repetition / frequency / presence penalties → token constraint (JSON mode) → greedy argmax when temperature &lt; 1e-5 (ties: lowest id) →
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
    private readonly ITokenConstraint? _constraint;
    private Xoshiro256StarStar _rng;

    /// <summary>Creates the state of one sequence; validates <paramref name="p"/> (throws <see cref="SamplingParamsException"/>).</summary>
    /// <param name="p">Request parameters.</param>
    /// <param name="promptTokens">Prompt token ids (repetition penalty); each in [0, vocabSize).</param>
    /// <param name="vocabSize">Length of the logits row passed to <see cref="Sample"/>.</param>
    /// <param name="eosTokenIds">The model's EOS ids (masked until min_tokens unless ignore_eos).</param>
    /// <param name="seedOverride">Seed to use instead of <see cref="SamplingParams.Seed"/> (n &gt; 1: seed + index).</param>
    /// <param name="constraint">Optional restriction of the next token (JSON mode), applied after penalties, before sampling.</param>
    public SequenceSampler(SamplingParams p, ReadOnlySpan<int> promptTokens, int vocabSize, IReadOnlySet<int> eosTokenIds, long? seedOverride = null, ITokenConstraint? constraint = null)
    {
        _constraint = constraint;
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
        _constraint?.Mask(logits);

        var token = _greedy ? Greedy(logits) : SampleRandom(logits, scratch);
        var result = _logprobs is { } k
            ? new SampledToken(token, RawLogprobs.Compute(scratch.Raw.AsSpan(0, _vocabSize), token, k, scratch, out var top), top)
            : new SampledToken(token, float.NaN, null);
        GeneratedCount++;
        _penalties.Record(token);
        _constraint?.Accept(token);
        return result;
    }

    private static int Greedy(ReadOnlySpan<float> x /*[vocab]*/)
    {
        var index = SamplingKernels.ArgMax(x);
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
        var max = _temperature != 1f ? SamplingKernels.DivideAndMax(x, _temperature) : SamplingKernels.Max(x);
        CheckMax(max);
        // min_p: p_i < min_p * p_max  <=>  x_i < max + ln(min_p) (temperature already applied, as vLLM)
        var lower = _minP > 0f ? max + MathF.Log(_minP) : float.NegativeInfinity;
        var keys = scratch.Keys.AsSpan(0, _vocabSize);
        var weights = scratch.Work.AsSpan(0, _vocabSize);
        var topP = _topP < 1f;
        if (_topK == 0 && !topP)
        {
            if (_minP <= 0f)
                return SampleFull(x, max, weights);
            var eligible = CandidateKeys.GatherAtLeast(x, lower, keys);
            FillWeights(x, max, keys[..eligible], weights);
            return Draw(keys[..eligible], weights);
        }

        int count;
        double mass;
        if (_topK > 0)
        {
            count = SelectTopK(x, max, lower, keys);
            mass = FillWeights(x, max, keys[..count], weights);
        }
        else
        {
            // top_p over the whole (min_p-filtered) distribution: exponentiate once, then gather a candidate set that
            // provably holds top_p of the mass (every token left out has probability < (1 - top_p) / vocab).
            var total = SamplingKernels.ExpShifted(x, max, weights);
            if (_minP > 0f)
            {
                count = CandidateKeys.GatherAtLeast(x, lower, keys);
                mass = SumWeights(keys[..count], weights);
            }
            else
            {
                mass = total;
                var required = _topP * mass;
                var bandLower = max + MathF.Log((float)((1.0 - _topP) * mass / _vocabSize));
                var massLower = SamplingKernels.MassAtLeast(x, weights, bandLower, out var countLower);
                if (massLower < required)
                    (bandLower, countLower) = (float.NegativeInfinity, _vocabSize); // float rounding: take all
                if (countLower > BandLimit)
                    return DrawBanded(x, max, weights, bandLower, countLower, required, keys);
                count = CandidateKeys.GatherAtLeast(x, bandLower, keys);
            }
        }
        if (topP)
            count = CandidateKeys.NucleusPrefix(keys[..count], weights, _topP * mass);
        return Draw(keys[..count], weights);
    }

    /// <summary>
    /// Keys (unsorted) of the top-k tokens among those &gt;= lower, plus every token tied with the k-th logit (vLLM
    /// masks only logits strictly below the k-th).
    /// </summary>
    private int SelectTopK(ReadOnlySpan<float> x, float max, float lower, Span<ulong> keys)
    {
        var n = CandidateKeys.GatherTop(x, max, lower, _topK, keys);
        if (n <= _topK)
            return n;
        CandidateKeys.SelectSmallest(keys[..n], _topK);
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
        return count;
    }

    /// <summary>weights[id] = exp(x[id] - max) for the candidates; returns their sum.</summary>
    private static double FillWeights(ReadOnlySpan<float> x, float max, ReadOnlySpan<ulong> keys, Span<float> weights)
    {
        double sum = 0;
        foreach (var key in keys)
        {
            var id = CandidateKeys.Id(key);
            sum += weights[id] = MathF.Exp(x[id] - max);
        }
        return sum;
    }

    private static double SumWeights(ReadOnlySpan<ulong> keys, ReadOnlySpan<float> weights)
    {
        double sum = 0;
        foreach (var key in keys)
            sum += weights[CandidateKeys.Id(key)];
        return sum;
    }

    /// <summary>Inverse-CDF draw among <paramref name="keys"/> (in their order) with weights[id].</summary>
    private int Draw(ReadOnlySpan<ulong> keys, ReadOnlySpan<float> weights)
        => DrawAt(keys, weights, _rng.NextDouble() * SumWeights(keys, weights));

    private static int DrawAt(ReadOnlySpan<ulong> keys, ReadOnlySpan<float> weights, double u)
    {
        double acc = 0;
        var last = CandidateKeys.Id(keys[0]);
        foreach (var key in keys)
        {
            var id = CandidateKeys.Id(key);
            var w = weights[id];
            if (w <= 0f)
                continue;
            acc += w;
            last = id;
            if (u < acc)
                return id;
        }
        return last; // rounding left u at the very end: last token with weight
    }

    /// <summary>Candidate sets larger than this are cut by <see cref="DrawBanded"/> instead of a selection over all of them.</summary>
    private const int BandLimit = 8192;

    /// <summary>
    /// Top-p over a large nucleus (flat distributions) without materialising it: bisects a logit threshold until the
    /// tokens at or above <c>upper</c> hold less than the required mass and the band [lower, upper) is small. Every
    /// token above the band is kept; the band is cut exactly (sorted semantics) by <see cref="CandidateKeys.NucleusPrefix"/>.
    /// The draw then walks either the band or, block by block, the tokens above it.
    /// </summary>
    private int DrawBanded(ReadOnlySpan<float> x, float max, ReadOnlySpan<float> weights, float lower, int countLower, double required, Span<ulong> keys)
    {
        float upper = max + 1f;
        double massUpper = 0;
        var countUpper = 0;
        for (var iteration = 0; iteration < 40 && countLower - countUpper > BandLimit / 4; iteration++)
        {
            var mid = float.IsNegativeInfinity(lower) ? max - 64f * (iteration + 1) : lower + (upper - lower) * 0.5f;
            if (mid <= lower || mid >= upper)
                break; // float resolution (massive ties): the band stays large, NucleusPrefix still handles it
            var mass = SamplingKernels.MassAtLeast(x, weights, mid, out var count);
            if (mass >= required)
                (lower, countLower) = (mid, count);
            else
                (upper, massUpper, countUpper) = (mid, mass, count);
        }
        var band = CandidateKeys.GatherBetween(x, lower, upper, keys);
        var kept = CandidateKeys.NucleusPrefix(keys[..band], weights, required - massUpper);
        var bandMass = SumWeights(keys[..kept], weights);
        var u = _rng.NextDouble() * (massUpper + bandMass);
        if (u >= massUpper || countUpper == 0)
            return DrawAt(keys[..kept], weights, Math.Max(0, u - massUpper));

        // u falls among the tokens >= upper: find the block, then the token (id order)
        const int Block = 1024;
        double acc = 0;
        var last = CandidateKeys.Id(keys[0]);
        for (var start = 0; start < x.Length; start += Block)
        {
            var length = Math.Min(Block, x.Length - start);
            var blockMass = SamplingKernels.MassAtLeast(x.Slice(start, length), weights.Slice(start, length), upper, out var blockCount);
            if (blockCount == 0)
                continue;
            if (u >= acc + blockMass)
            {
                acc += blockMass;
                continue;
            }
            for (var i = start; i < start + length; i++)
            {
                if (x[i] < upper || weights[i] <= 0f)
                    continue;
                acc += weights[i];
                last = i;
                if (u < acc)
                    return i;
            }
        }
        return last; // rounding left u past the last token above the band
    }

    /// <summary>Draws from the softmax of the whole row: exp (with its sum) into <paramref name="work"/>, then block sums until the draw is reached.</summary>
    private int SampleFull(ReadOnlySpan<float> x, float max, Span<float> work)
    {
        const int Block = 1024;
        var total = SamplingKernels.ExpShifted(x, max, work);
        var u = _rng.NextDouble() * total;
        double acc = 0;
        var last = -1;
        for (var start = 0; start < work.Length; start += Block)
        {
            var block = work.Slice(start, Math.Min(Block, work.Length - start));
            double blockSum = TensorPrimitives.Sum(block);
            if (blockSum <= 0)
                continue;
            if (u < acc + blockSum)
            {
                for (var i = 0; i < block.Length; i++)
                {
                    if (block[i] <= 0f)
                        continue;
                    acc += block[i];
                    last = start + i;
                    if (u < acc)
                        return last;
                }
            }
            else
            {
                acc += blockSum;
                for (var i = block.Length - 1; i >= 0; i--)
                {
                    if (block[i] > 0f)
                    {
                        last = start + i;
                        break;
                    }
                }
            }
        }
        return last; // rounding left u at the very end: last token with weight
    }
}
