namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Vocabulary-sized work buffers shared by every <see cref="SequenceSampler"/> on a thread (sampling is synchronous,
/// so one set per thread is enough): a sequence keeps only its small state, and a batch of hundreds of sequences does
/// not hold hundreds of 150k-entry buffers. Grows once to the largest vocabulary seen; never shrinks.
/// </summary>
internal sealed class SamplerScratch
{
    [ThreadStatic]
    private static SamplerScratch? t_current;

    public float[] Raw = [];        // [vocab] copy of the model logits when logprobs are requested
    public float[] Work = [];       // [vocab] exp(x - max) or candidate probabilities
    public ulong[] Keys = [];       // [vocab] candidate sort keys (CandidateKeys)

    /// <summary>This thread's scratch, sized for at least <paramref name="vocabSize"/> tokens.</summary>
    public static SamplerScratch For(int vocabSize)
    {
        var scratch = t_current ??= new SamplerScratch();
        if (scratch.Work.Length < vocabSize)
            scratch.Resize(vocabSize);
        return scratch;
    }

    private void Resize(int vocabSize)
    {
        Raw = new float[vocabSize];
        Work = new float[vocabSize];
        Keys = new ulong[vocabSize];
    }
}
