using LlmSuite.Engine.Sampling;

namespace LlmSuite.Engine.Tests.Sampling;

internal static class SamplerTestUtil
{
    public static readonly IReadOnlySet<int> NoEos = new HashSet<int>();

    /// <summary>Deterministic pseudo-random logits in about [-scale, scale].</summary>
    public static float[] RandomLogits(int vocab, int seed, float scale = 8f)
    {
        var rng = new Random(seed);
        var x = new float[vocab];
        for (var i = 0; i < x.Length; i++)
            x[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return x;
    }

    public static SequenceSampler Sampler(SamplingParams p, int vocab, ReadOnlySpan<int> prompt = default, IReadOnlySet<int>? eos = null, long? seedOverride = null)
        => new(p, prompt, vocab, eos ?? NoEos, seedOverride);

    /// <summary>Samples once from a copy of <paramref name="logits"/> (Sample modifies its input).</summary>
    public static SampledToken SampleCopy(this SequenceSampler sampler, float[] logits)
    {
        var copy = (float[])logits.Clone();
        return sampler.Sample(copy);
    }

    /// <summary>Draw counts per token over <paramref name="draws"/> fresh seeded samplers' first tokens.</summary>
    public static int[] Histogram(SamplingParams p, float[] logits, int draws)
    {
        var counts = new int[logits.Length];
        var sampler = Sampler(p with { Seed = 1234 }, logits.Length);
        var work = new float[logits.Length];
        for (var i = 0; i < draws; i++)
        {
            logits.CopyTo(work, 0);
            counts[sampler.Sample(work).TokenId]++;
        }
        return counts;
    }

    /// <summary>Double-precision softmax of x / temperature.</summary>
    public static double[] Softmax(ReadOnlySpan<float> x, double temperature = 1)
    {
        var max = double.NegativeInfinity;
        foreach (var v in x) max = Math.Max(max, v / temperature);
        var p = new double[x.Length];
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += p[i] = Math.Exp(x[i] / temperature - max);
        for (var i = 0; i < x.Length; i++) p[i] /= sum;
        return p;
    }
}
