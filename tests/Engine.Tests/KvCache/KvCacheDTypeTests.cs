using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Serving;
using LlmSuite.Engine.Tests.Models;

namespace LlmSuite.Engine.Tests.KvCache;

/// <summary>The KV cache dtype option: accepted spellings, <c>auto</c> per model dtype, budgeting in the engine.</summary>
public class KvCacheDTypeTests
{
    [Theory]
    [InlineData("float32", KvCacheDType.F32)]
    [InlineData("f32", KvCacheDType.F32)]
    [InlineData("FP32", KvCacheDType.F32)]
    [InlineData("bfloat16", KvCacheDType.BF16)]
    [InlineData(" BF16 ", KvCacheDType.BF16)]
    public void Parse_AcceptedSpellings_ReturnTheDType(string value, KvCacheDType expected) =>
        Assert.Equal(expected, KvCacheDTypes.Parse(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData("AUTO")]
    public void Parse_AutoOrEmpty_ReturnsNull(string? value) => Assert.Null(KvCacheDTypes.Parse(value));

    [Theory]
    [InlineData("fp8")]
    [InlineData("f16")]
    [InlineData("q8_0")]
    public void Parse_UnknownValue_ThrowsNamingOptionAndAcceptedValues(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => KvCacheDTypes.Parse(value, "--kv-cache-dtype"));
        Assert.Equal("--kv-cache-dtype", e.ParamName);
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains("bfloat16", e.Message);
        Assert.Contains("auto", e.Message);
    }

    [Theory]
    [InlineData("llama", null, false, KvCacheDType.F32)]                // F32 safetensors
    [InlineData("llama-f32.gguf", null, false, KvCacheDType.F32)]       // F32 GGUF
    [InlineData("llama-bfloat16", null, false, KvCacheDType.BF16)]      // BF16 checkpoint widened to F32 at load: still a bf16 model
    [InlineData("llama-bfloat16", null, true, KvCacheDType.BF16)]       // BF16 kept as BF16
    [InlineData("llama-float16", null, false, KvCacheDType.BF16)]       // F16 checkpoint
    [InlineData("llama-q8_0.gguf", null, false, KvCacheDType.BF16)]     // quantized GGUF
    [InlineData("llama", "q8_0", false, KvCacheDType.BF16)]             // F32 quantized at load
    public void Resolve_Auto_FollowsTheModelWeights(string model, string? quantize, bool keepBF16, KvCacheDType expected)
    {
        using TransformerModel m = ModelLoader.Load(Golden.Dir(model), new ModelLoadOptions { Quantize = quantize, KeepBF16 = keepBF16 });
        Assert.Equal(expected, KvCacheDTypes.Resolve("auto", m));
        Assert.Equal(KvCacheDType.F32, KvCacheDTypes.Resolve("f32", m));   // explicit values override auto
        Assert.Equal(KvCacheDType.BF16, KvCacheDTypes.Resolve("bf16", m));
    }

    [Fact]
    public void LlmEngine_SameByteBudget_Bf16HoldsTwiceTheBlocks()
    {
        using TransformerModel m = ModelLoader.Load(Golden.Dir("llama"));
        long budget = 4L * 1024 * 1024;
        using var f32 = new LlmEngine(m, null, new EngineOptions { KvCacheMemoryBytes = budget, KvCacheDType = "float32" });
        using var bf16 = new LlmEngine(m, null, new EngineOptions { KvCacheMemoryBytes = budget, KvCacheDType = "bfloat16" });
        using var auto = new LlmEngine(m, null, new EngineOptions { KvCacheMemoryBytes = budget });
        Assert.Equal(KvCacheDType.F32, f32.Cache.DType);
        Assert.Equal(KvCacheDType.BF16, bf16.Cache.DType);
        Assert.Equal(KvCacheDType.F32, auto.Cache.DType);
        Assert.Equal(2 * f32.Cache.NumBlocks, bf16.Cache.NumBlocks);
        Assert.Equal(2 * f32.BlockManager.NumBlocks, bf16.BlockManager.NumBlocks);
        Assert.Equal(f32.Cache.Bytes, bf16.Cache.Bytes);
        Assert.Contains("bfloat16", bf16.Describe());
        Assert.Contains($"{bf16.Cache.NumBlocks} blocks", bf16.Describe());
        Assert.Contains("float32", f32.Describe());
    }

    [Fact]
    public void LlmEngine_UnknownDType_ThrowsNamingTheOption()
    {
        using TransformerModel m = ModelLoader.Load(Golden.Dir("llama"));
        var e = Assert.Throws<ArgumentException>(() => new LlmEngine(m, null, new EngineOptions { NumBlocks = 8, KvCacheDType = "int4" }));
        Assert.Equal(nameof(EngineOptions.KvCacheDType), e.ParamName);
        Assert.Contains("int4", e.Message);
    }
}
