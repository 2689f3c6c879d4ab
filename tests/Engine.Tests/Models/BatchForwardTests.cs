using LlmSuite.Engine.Models;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>
/// Continuous-batching invariants: several sequences in one batch, chunked prefill and mixed prefill/decode steps give
/// the same logits as running each sequence alone (bound 1e-5 relative: only summation order may differ).
/// </summary>
public class BatchForwardTests
{
    private const double Tolerance = 1e-5;
    private static readonly int[][] Prompts =
    {
        new[] { 1, 17, 200, 45, 99, 3, 128, 64, 250, 7, 33, 180 },
        new[] { 1, 5, 9 },
        new[] { 1, 100, 101, 102, 103, 104, 105 },
    };

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    public void Forward_SeveralSequencesInOneBatch_EqualsOneByOne(string name)
    {
        using TransformerModel model = ModelLoader.Load(Golden.Dir(name));
        int V = model.VocabSize;
        var cache = model.CreateContiguousCache(Prompts.Length, 64);
        var batch = new ForwardBatch(64, 8);
        for (int s = 0; s < Prompts.Length; s++)
        {
            batch.Add(s, Prompts[s], 0, allLogits: true);
        }
        float[] batched = new float[batch.LogitRows * V];
        model.Forward(batch, cache, batched);
        int row = 0;
        foreach (int[] p in Prompts)
        {
            float[] alone = ModelRunner.PromptLogits(model, p);
            double err = Golden.RelativeMaxError(batched.AsSpan(row * V, p.Length * V), alone);
            Assert.True(err <= Tolerance, $"{name}: sequence of {p.Length} tokens differs by {err:E2} in a batch");
            row += p.Length;
        }
    }

    [Fact]
    public void Forward_ChunkedPrefill_EqualsWholePrompt()
    {
        Golden g = Golden.Load("llama3");
        using TransformerModel model = ModelLoader.Load(Golden.Dir("llama3"));
        int V = model.VocabSize;
        var cache = model.CreateContiguousCache(1, 64);
        var batch = new ForwardBatch(64, 2);
        float[] logits = new float[g.Prompt.Length * V];
        batch.Add(0, g.Prompt.AsSpan(0, 5), 0, allLogits: true);
        model.Forward(batch, cache, logits);
        batch.Clear();
        batch.Add(0, g.Prompt.AsSpan(5), 5, allLogits: true);
        model.Forward(batch, cache, logits.AsSpan(5 * V));
        Assert.True(Golden.RelativeMaxError(logits, g.Logits) <= 1e-4);
    }

    [Fact]
    public void Forward_MixedDecodeAndPrefillStep_EqualsSeparateRuns()
    {
        using TransformerModel model = ModelLoader.Load(Golden.Dir("mistral"));
        int V = model.VocabSize;
        var cache = model.CreateContiguousCache(2, 64);
        var batch = new ForwardBatch(64, 4);
        float[] logits = new float[2 * V];
        // step 1: prefill sequence 0
        batch.Add(0, Prompts[0], 0);
        model.Forward(batch, cache, logits);
        int next = ModelRunner.ArgMax(logits.AsSpan(0, V));
        // step 2: decode sequence 0 while prefilling sequence 1, last-token logits only
        batch.Clear();
        batch.Add(0, new[] { next }, Prompts[0].Length);
        batch.Add(1, Prompts[2], 0);
        Assert.Equal(2, batch.LogitRows);
        model.Forward(batch, cache, logits);

        float[] seq0 = ModelRunner.PromptLogits(model, Prompts[0].Append(next).ToArray());
        float[] seq1 = ModelRunner.PromptLogits(model, Prompts[2]);
        Assert.True(Golden.RelativeMaxError(logits.AsSpan(0, V), seq0.AsSpan(Prompts[0].Length * V, V)) <= Tolerance);
        Assert.True(Golden.RelativeMaxError(logits.AsSpan(V, V), seq1.AsSpan((Prompts[2].Length - 1) * V, V)) <= Tolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void Forward_MultiBlockCache_MatchesPyTorch(int blockSize)
    {
        // attention walks the cache block by block with an online softmax; small blocks exercise the rescaling path
        Golden g = Golden.Load("llama");
        using TransformerModel model = ModelLoader.Load(Golden.Dir("llama"));
        var cache = new ContiguousKvCache(model.Config.NumLayers, 1, 64, model.Config.NumKvHeads, model.Config.HeadDim, blockSize);
        var batch = new ForwardBatch(64, 1);
        batch.Add(0, g.Prompt, 0, allLogits: true);
        float[] logits = new float[g.Prompt.Length * model.VocabSize];
        model.Forward(batch, cache, logits);
        Assert.True(Golden.RelativeMaxError(logits, g.Logits) <= 1e-4);
        int position = g.Prompt.Length;
        int next = ModelRunner.ArgMax(logits.AsSpan((g.Prompt.Length - 1) * model.VocabSize, model.VocabSize));
        for (int i = 0; i < g.Greedy.Length; i++)
        {
            Assert.Equal(g.Greedy[i], next);
            batch.Clear();
            batch.Add(0, new[] { next }, position++);
            model.Forward(batch, cache, logits);
            next = ModelRunner.ArgMax(logits.AsSpan(0, model.VocabSize));
        }
    }

    [Fact]
    public void Forward_TooManyTokens_ThrowsNamingLimit()
    {
        using TransformerModel model = ModelLoader.Load(Golden.Dir("llama"), new ModelLoadOptions { MaxBatchTokens = 4 });
        var batch = new ForwardBatch(16, 2);
        batch.Add(0, Prompts[0], 0);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(batch, model.CreateContiguousCache(1, 32), new float[model.VocabSize]));
        Assert.Contains("MaxBatchTokens", e.Message);
    }

    [Fact]
    public void Forward_TokenOutsideVocabulary_Throws()
    {
        using TransformerModel model = ModelLoader.Load(Golden.Dir("llama"));
        var batch = new ForwardBatch(16, 2);
        batch.Add(0, new[] { 1, 999 }, 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(batch, model.CreateContiguousCache(1, 32), new float[model.VocabSize]));
        Assert.Contains("999", e.Message);
    }

    [Fact]
    public void Forward_DecodeStepAfterWarmup_AllocatesNothingOnCallingThread()
    {
        using TransformerModel model = ModelLoader.Load(Golden.Dir("qwen3"));
        var cache = model.CreateContiguousCache(2, 64);
        var batch = new ForwardBatch(32, 4);
        float[] logits = new float[2 * model.VocabSize];
        int[] one = { 7 }, two = { 9 };
        batch.Add(0, Prompts[0], 0);
        batch.Add(1, Prompts[1], 0);
        model.Forward(batch, cache, logits);
        int p0 = Prompts[0].Length, p1 = Prompts[1].Length;
        void Step()
        {
            batch.Clear();
            batch.Add(0, one, p0++);
            batch.Add(1, two, p1++);
            model.Forward(batch, cache, logits);
        }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Add_SameSequenceTwice_Throws()
    {
        var batch = new ForwardBatch(16, 4);
        batch.Add(3, new[] { 1 }, 0);
        Assert.Throws<InvalidOperationException>(() => batch.Add(3, new[] { 2 }, 1));
    }
}
