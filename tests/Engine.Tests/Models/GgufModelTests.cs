using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tensors;
using Xunit.Abstractions;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>
/// GGUF twins of the tiny llama (written by scripts/reference/make_model_goldens.py with llama.cpp's Q/K permutation):
/// the F32 file must reproduce the safetensors model (1e-5 relative, the same weights after un-permutation), the
/// Q8_0 file the PyTorch logits of the Q8_0-dequantized weights.
/// </summary>
public class GgufModelTests(ITestOutputHelper output)
{
    /// <summary>
    /// Q8_0 bound, max |a - b| / max |ref| against PyTorch on the Q8_0-dequantized weights. The weights themselves are
    /// exact (<see cref="Load_Q8Gguf_WeightsEqualDequantizedReference"/> gets 1e-4 with the same weights in F32); any
    /// remaining difference comes from the kernel: an int8-activation Q8_0 kernel (llama.cpp style) measured 1.35e-2 on
    /// this model, the current prefill kernel (dequantized panels + f32 GEMM) 3.8e-7. The decode path (m = 1) still uses
    /// int8 activations and is covered by the greedy comparison. A wrong block layout or scale gives errors of order 1.
    /// </summary>
    private const double Q8Tolerance = 3e-2;

    [Fact]
    public void Load_F32Gguf_MatchesSafetensorsTwin()
    {
        Golden g = Golden.Load("llama");
        using TransformerModel gguf = ModelLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Models", "llama-f32.gguf"));
        using TransformerModel hf = ModelLoader.Load(Golden.Dir("llama"));
        float[] a = ModelRunner.PromptLogits(gguf, g.Prompt);
        float[] b = ModelRunner.PromptLogits(hf, g.Prompt);
        double err = Golden.RelativeMaxError(a, b);
        output.WriteLine($"F32 GGUF vs safetensors: {err:E2}");
        Assert.True(err <= 1e-5, $"F32 GGUF differs from its safetensors twin by {err:E2}");
        Assert.True(Golden.RelativeMaxError(a, g.Logits) <= 1e-4);
        Assert.Equal(g.Greedy, ModelRunner.Greedy(gguf, g.Prompt, 32).Tokens);
    }

    [Fact]
    public void Load_F32Gguf_UnpermutesQkToHfWeights()
    {
        using TransformerModel gguf = ModelLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Models", "llama-f32.gguf"));
        using TransformerModel hf = ModelLoader.Load(Golden.Dir("llama"));
        float[] x = new float[64], y = new float[64];
        for (int r = 0; r < 64; r++)
        {
            gguf.Weights.Layers[0].Wq.ReadRow(r, x);
            hf.Weights.Layers[0].Wq.ReadRow(r, y);
            Assert.Equal(y, x);
        }
        for (int r = 0; r < 32; r++)
        {
            gguf.Weights.Layers[1].Wk.ReadRow(r, x);
            hf.Weights.Layers[1].Wk.ReadRow(r, y);
            Assert.Equal(y, x);
        }
    }

    [Fact]
    public void Load_Q8Gguf_MatchesDequantizedReferenceAndGreedy()
    {
        Golden g = Golden.Load("llama-q8_0-golden");
        using TransformerModel model = ModelLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Models", "llama-q8_0.gguf"));
        Assert.Equal(WeightType.Q8_0, model.Weights.Layers[0].Wq.Type);
        Assert.Equal(WeightType.Q8_0, model.Weights.Embedding.Type);
        float[] logits = ModelRunner.PromptLogits(model, g.Prompt);
        double err = Golden.RelativeMaxError(logits, g.Logits);
        output.WriteLine($"Q8_0 GGUF vs PyTorch on dequantized weights: {err:E2}");
        Assert.True(err <= Q8Tolerance, $"Q8_0 GGUF logits differ by {err:E2}");
        Assert.Equal(g.Greedy, ModelRunner.Greedy(model, g.Prompt, 32).Tokens);
    }

    [Fact]
    public void Load_Q8Gguf_WeightsEqualDequantizedReference()
    {
        Golden g = Golden.Load("llama-q8_0-golden");
        using TransformerModel q8 = ModelLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Models", "llama-q8_0.gguf"));
        TransformerWeights w = q8.Weights;
        LayerWeights[] layers = w.Layers.Select(l => new LayerWeights
        {
            AttnNorm = l.AttnNorm, Wq = ToF32(l.Wq), Wk = ToF32(l.Wk), Wv = ToF32(l.Wv), Wo = ToF32(l.Wo),
            FfnNorm = l.FfnNorm, Gate = ToF32(l.Gate), Up = ToF32(l.Up), Down = ToF32(l.Down),
        }).ToArray();
        var f32 = new TransformerWeights { Embedding = ToF32(w.Embedding), Layers = layers, FinalNorm = w.FinalNorm, LmHead = ToF32(w.LmHead) };
        using var model = new TransformerModel(q8.Config, q8.Architecture, f32, q8.Files, q8.EosTokenIds, 64, 256);
        double err = Golden.RelativeMaxError(ModelRunner.PromptLogits(model, g.Prompt), g.Logits);
        output.WriteLine($"Q8_0 GGUF weights widened to F32 vs PyTorch: {err:E2}");
        Assert.True(err <= 1e-4, $"dequantized Q8_0 weights differ from the reference by {err:E2}");
    }

    private static WeightMatrix ToF32(WeightMatrix w)
    {
        float[] all = new float[w.Rows * w.Cols];
        for (int r = 0; r < w.Rows; r++)
        {
            w.ReadRow(r, all.AsSpan(r * w.Cols, w.Cols));
        }
        return WeightMatrix.FromF32(all, w.Rows, w.Cols);
    }

    [Fact]
    public void Load_Q8Gguf_ExposesTokenizerAndTemplate()
    {
        using TransformerModel model = ModelLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Models", "llama-q8_0.gguf"));
        Assert.Equal(ModelFormat.Gguf, model.Files.Format);
        Assert.Equal(256, model.Files.GgufTokenizer!.Tokens.Length);
        Assert.Contains("add_generation_prompt", model.Files.ChatTemplate);
        Assert.Equal(new[] { 2 }, model.EosTokenIds);
        Assert.Equal("tiny-llama-q8_0", model.Files.GgufMetadata!["general.name"]);
    }

    [Fact]
    public void Load_QuantizeQ8Option_QuantizesLinearsKeepsNormsAndTracksReference()
    {
        Golden g = Golden.Load("llama-q8_0-golden");
        using TransformerModel model = ModelLoader.Load(Golden.Dir("llama"), new ModelLoadOptions { Quantize = "q8_0" });
        Assert.Equal(WeightType.Q8_0, model.Weights.Layers[1].Down.Type);
        Assert.Equal(WeightType.Q8_0, model.Weights.LmHead.Type);
        Assert.Equal(64, model.Weights.Layers[0].AttnNorm.Length);
        float[] logits = ModelRunner.PromptLogits(model, g.Prompt);
        double err = Golden.RelativeMaxError(logits, g.Logits);
        output.WriteLine($"--quantize q8_0 vs PyTorch on Q8_0-dequantized weights: {err:E2}");
        Assert.True(err <= Q8Tolerance, $"quantized model differs by {err:E2}");
    }
}

/// <summary>GGUF variants of the other architectures, converted in the test from their HF twins (F32).</summary>
public class GgufArchitectureTests
{
    [Theory]
    [InlineData("qwen2", "qwen2", false)]   // q/k/v bias, NeoX rope: no permutation
    [InlineData("qwen3", "qwen3", false)]   // attn_q_norm / attn_k_norm, key_length 32 != 64 / 4
    [InlineData("mistral", "llama", true)]  // llama.cpp stores Mistral as arch llama with permuted Q/K
    public void Load_ConvertedGguf_MatchesPyTorch(string model, string arch, bool permute)
    {
        Golden g = Golden.Load(model);
        string path = HfToGguf.Convert(Golden.Dir(model), arch, permute);
        using TransformerModel m = ModelLoader.Load(path);
        Assert.Equal(arch == "llama" ? "llama" : model, m.Config.ModelType);
        Assert.True(Golden.RelativeMaxError(ModelRunner.PromptLogits(m, g.Prompt), g.Logits) <= 1e-4);
    }

    [Fact]
    public void Load_Llama3GgufWithRopeFreqs_RecoversLlama3Scaling()
    {
        Golden g = Golden.Load("llama3");
        // llama.cpp's rope_freqs: per rotated pair the divisor of the base frequency (1, factor, or smoothed)
        const double factor = 8, low = 1, high = 4, original = 64, theta = 500000;
        float[] divisors = new float[8];
        for (int i = 0; i < 8; i++)
        {
            double wavelen = 2 * Math.PI * Math.Pow(theta, 2.0 * i / 16);
            double smooth = (original / wavelen - low) / (high - low);
            divisors[i] = (float)(wavelen < original / high ? 1 : wavelen > original / low ? factor : 1 / ((1 - smooth) / factor + smooth));
        }
        string path = HfToGguf.Convert(Golden.Dir("llama3"), "llama", permuteQk: true, divisors, originalContext: 64);
        using TransformerModel m = ModelLoader.Load(path);
        Assert.NotNull(m.Config.RopeScaling);
        Assert.Equal(8.0, m.Config.RopeScaling!.Factor);
        Assert.True(m.Config.TieWordEmbeddings);
        Assert.True(Golden.RelativeMaxError(ModelRunner.PromptLogits(m, g.Prompt), g.Logits) <= 1e-4);
    }
}
