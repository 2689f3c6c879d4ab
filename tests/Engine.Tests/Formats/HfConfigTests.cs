using System.Text.Json;
using LlmSuite.Engine.Formats;
using LlmSuite.Engine.Formats.HuggingFace;

namespace LlmSuite.Engine.Tests.Formats;

public class HfConfigTests
{
    [Fact]
    public void Load_Llama3Config_ReadsRopeScalingTiedAndEosList()
    {
        ModelConfig c = HfConfig.Load(TestFiles.Data("Models", "llama3", "config.json"));
        Assert.Equal("LlamaForCausalLM", c.Architecture);
        Assert.Equal("llama", c.ModelType);
        Assert.Equal(64, c.HiddenSize);
        Assert.Equal(64, c.IntermediateSize);
        Assert.Equal(2, c.NumLayers);
        Assert.Equal(4, c.NumHeads);
        Assert.Equal(2, c.NumKvHeads);
        Assert.Equal(16, c.HeadDim);
        Assert.Equal(256, c.VocabSize);
        Assert.Equal(500000.0, c.RopeTheta);
        Assert.Equal(1e-5, c.RmsNormEps);
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal(new[] { 2, 5 }, c.EosTokenIds);
        Assert.Equal(1, c.BosTokenId);
        Assert.NotNull(c.RopeScaling);
        Assert.Equal("llama3", c.RopeScaling!.Type);
        Assert.Equal(8.0, c.RopeScaling.Factor);
        Assert.Equal(1.0, c.RopeScaling.LowFreqFactor);
        Assert.Equal(4.0, c.RopeScaling.HighFreqFactor);
        Assert.Equal(64, c.RopeScaling.OriginalMaxPositions);
    }

    [Fact]
    public void Load_Qwen3Config_KeepsExplicitHeadDim()
    {
        ModelConfig c = HfConfig.Load(TestFiles.Data("Models", "qwen3", "config.json"));
        Assert.Equal("qwen3", c.ModelType);
        Assert.Equal(32, c.HeadDim);
        Assert.Equal(4 * 32, c.NumHeads * c.HeadDim);
        Assert.Equal(1e-6, c.RmsNormEps);
    }

    [Fact]
    public void Parse_DefaultsMissingOptionalFields()
    {
        using JsonDocument d = JsonDocument.Parse("""{"model_type":"llama","hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,"num_attention_heads":4,"vocab_size":10,"eos_token_id":3}""");
        ModelConfig c = HfConfig.Parse(d.RootElement, "test");
        Assert.Equal(4, c.NumKvHeads);
        Assert.Equal(8, c.HeadDim);
        Assert.Null(c.RopeScaling);
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(new[] { 3 }, c.EosTokenIds);
    }

    [Fact]
    public void Parse_UnsupportedRopeScaling_ThrowsNamingType()
    {
        using JsonDocument d = JsonDocument.Parse("""{"model_type":"llama","hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,"num_attention_heads":4,"vocab_size":10,"rope_scaling":{"type":"yarn","factor":4.0}}""");
        var e = Assert.Throws<NotSupportedException>(() => HfConfig.Parse(d.RootElement, "test"));
        Assert.Contains("yarn", e.Message);
    }

    [Fact]
    public void Parse_MissingHiddenSize_ThrowsNamingField()
    {
        using JsonDocument d = JsonDocument.Parse("""{"model_type":"llama","intermediate_size":64,"num_hidden_layers":1,"num_attention_heads":4,"vocab_size":10}""");
        var e = Assert.Throws<InvalidDataException>(() => HfConfig.Parse(d.RootElement, "test"));
        Assert.Contains("hidden_size", e.Message);
    }

    [Fact]
    public void Parse_HeadsNotMultipleOfKvHeads_Throws()
    {
        using JsonDocument d = JsonDocument.Parse("""{"model_type":"llama","hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":3,"vocab_size":10}""");
        var e = Assert.Throws<InvalidDataException>(() => HfConfig.Parse(d.RootElement, "test"));
        Assert.Contains("num_key_value_heads", e.Message);
    }

    [Fact]
    public void LoadGenerationConfig_EosListAndSampling()
    {
        GenerationConfig g = GenerationConfig.Load(TestFiles.Data("Models", "mistral", "generation_config.json"));
        Assert.Equal(new[] { 2, 7 }, g.EosTokenIds);
        Assert.Equal(0.7, g.Temperature);
        Assert.Equal(0.9, g.TopP);
        Assert.Equal(40, g.TopK);
        Assert.Equal(1.1, g.RepetitionPenalty);
        Assert.True(g.DoSample);
        Assert.Equal(64, g.MaxNewTokens);
    }

    [Fact]
    public void ParseGenerationConfig_SingleEosInt()
    {
        using JsonDocument d = JsonDocument.Parse("""{"eos_token_id": 151645, "top_k": 20}""");
        GenerationConfig g = GenerationConfig.Parse(d.RootElement, "test");
        Assert.Equal(new[] { 151645 }, g.EosTokenIds);
        Assert.Equal(20, g.TopK);
        Assert.Null(g.Temperature);
    }
}
