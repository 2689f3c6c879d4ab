using LlmSuite.Engine.Models;
using Xunit.Abstractions;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>
/// Tiny random models of each architecture against the PyTorch reference (scripts/reference/tiny_transformer.py, a
/// line-by-line port of HF transformers' modeling code). Error norm: max |a - b| / max |ref| over all logits of all
/// prompt positions, bound 1e-4 (fp32 with a different summation order gives ~1e-6; a wrong RoPE, norm, bias or
/// head mapping gives &gt; 1e-1).
/// </summary>
public class ReferenceModelTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Models => new() { "llama", "llama3", "mistral", "qwen2", "qwen3", "llama-bfloat16", "llama-float16" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Forward_PromptLogits_MatchPyTorch(string name)
    {
        Golden g = Golden.Load(name);
        using TransformerModel model = ModelLoader.Load(Golden.Dir(name));
        float[] logits = ModelRunner.PromptLogits(model, g.Prompt);
        double err = Golden.RelativeMaxError(logits, g.Logits);
        output.WriteLine($"{name}: relative max error {err:E2}");
        Assert.True(err <= Tolerance, $"{name}: relative max error {err:E2} > {Tolerance:E0}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Greedy_32TokensWithKvCache_MatchPyTorch(string name)
    {
        Golden g = Golden.Load(name);
        using TransformerModel model = ModelLoader.Load(Golden.Dir(name));
        (int[] tokens, float[] tops) = ModelRunner.Greedy(model, g.Prompt, 32);
        Assert.Equal(g.Greedy, tokens);
        double scale = g.Logits.Max(Math.Abs);
        for (int i = 0; i < tops.Length; i++)
        {
            Assert.True(Math.Abs(tops[i] - g.GreedyTopLogit[i]) <= Tolerance * scale,
                $"{name} step {i}: top logit {tops[i]} vs reference {g.GreedyTopLogit[i]}");
        }
    }

    [Fact]
    public void Load_KeepBF16_KeepsBF16WeightsAndMatchesPyTorch()
    {
        Golden g = Golden.Load("llama-bfloat16");
        using TransformerModel model = ModelLoader.Load(Golden.Dir("llama-bfloat16"), new ModelLoadOptions { KeepBF16 = true });
        Assert.Equal(LlmSuite.Engine.Tensors.WeightType.BF16, model.Weights.Layers[0].Gate.Type);
        double err = Golden.RelativeMaxError(ModelRunner.PromptLogits(model, g.Prompt), g.Logits);
        Assert.True(err <= Tolerance, $"BF16 kernels differ by {err:E2}");
    }

    [Fact]
    public void Load_Llama3_ExposesConfigEosAndFiles()
    {
        using TransformerModel model = ModelLoader.Load(Golden.Dir("llama3"));
        Assert.Equal("llama", model.Config.ModelType);
        Assert.True(model.Config.TieWordEmbeddings);
        Assert.Same(model.Weights.Embedding, model.Weights.LmHead);
        Assert.Equal(new[] { 2, 5 }, model.EosTokenIds);
        Assert.Equal(ModelFormat.HuggingFace, model.Files.Format);
        Assert.Null(model.Files.TokenizerJsonPath);
    }

    [Fact]
    public void Load_ShardedMistral_MergesGenerationConfigEos()
    {
        using TransformerModel model = ModelLoader.Load(Golden.Dir("mistral"));
        Assert.IsType<MistralArchitecture>(model.Architecture);
        Assert.Equal(new[] { 2, 7 }, model.EosTokenIds);
        Assert.Equal(0.7, model.Files.Generation!.Temperature);
    }

    [Fact]
    public void Load_Qwen2_HasQkvBiasAndQwen3_HasQkNorm()
    {
        using TransformerModel q2 = ModelLoader.Load(Golden.Dir("qwen2"));
        Assert.Equal(64, q2.Weights.Layers[0].Bq.Length);
        Assert.Equal(32, q2.Weights.Layers[0].Bk.Length);
        Assert.Empty(q2.Weights.Layers[0].Bo);
        using TransformerModel q3 = ModelLoader.Load(Golden.Dir("qwen3"));
        Assert.Equal(32, q3.Weights.Layers[1].QNorm!.Length);
        Assert.Equal(4 * 32, q3.Weights.Layers[0].Wq.Rows);
    }
}
