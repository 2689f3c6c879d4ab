using LlmSuite.Engine.Models;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>Drives a model the way the engine will: prefill a prompt, then greedy decode one token per step.</summary>
internal static class ModelRunner
{
    /// <summary>Logits for every prompt position [prompt, vocab], one sequence in slot 0.</summary>
    public static float[] PromptLogits(TransformerModel model, int[] prompt)
    {
        var cache = model.CreateContiguousCache(1, 128);
        var batch = new ForwardBatch(model.MaxBatchTokens, 4);
        batch.Add(0, prompt, 0, allLogits: true);
        float[] logits = new float[prompt.Length * model.VocabSize];
        model.Forward(batch, cache, logits);
        return logits;
    }

    /// <summary>Greedy tokens and the top logit of each step, decoding with the KV cache.</summary>
    public static (int[] Tokens, float[] TopLogits) Greedy(TransformerModel model, int[] prompt, int steps)
    {
        var cache = model.CreateContiguousCache(1, 128);
        var batch = new ForwardBatch(model.MaxBatchTokens, 4);
        float[] logits = new float[model.VocabSize];
        batch.Add(0, prompt, 0);
        model.Forward(batch, cache, logits);
        int[] tokens = new int[steps];
        float[] tops = new float[steps];
        int position = prompt.Length;
        for (int i = 0; i < steps; i++)
        {
            int best = ArgMax(logits);
            tokens[i] = best;
            tops[i] = logits[best];
            batch.Clear();
            batch.Add(0, new[] { best }, position++);
            model.Forward(batch, cache, logits);
        }
        return (tokens, tops);
    }

    public static int ArgMax(ReadOnlySpan<float> x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }
        return best;
    }
}
