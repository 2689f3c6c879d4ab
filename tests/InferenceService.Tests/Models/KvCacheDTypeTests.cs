using System.Text.Json;
using LlmSuite.Engine.KvCache;
using LlmSuite.InferenceService.Models;
using LlmSuite.InferenceService.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSuite.InferenceService.Tests.Models;

/// <summary>
/// <c>Inference:KvCacheDType</c> (CLI <c>--kv-cache-dtype</c>) reaches the engine of the bundled models/default: the
/// engine's startup report names the dtype, /api/ps (weights + KV bytes) shows half the KV bytes for the same block
/// count, generation works, and a typo fails the startup naming the option.
/// </summary>
public sealed class KvCacheDTypeTests
{
    private const int Blocks = 64;

    [Fact]
    public async Task Serve_KvCacheDTypeBf16_EngineUsesBf16AndPsShowsHalfTheKvBytes()
    {
        long f32Size, bf16Size;
        string f32Report, bf16Report;
        await using (var f32 = await InferenceServer.StartAsync("--model", DefaultModelFixture.Dir, "--Inference:KvCacheBlocks", $"{Blocks}"))
        {
            (f32Size, f32Report) = await Describe(f32, KvCacheDType.F32);   // auto: models/default is F32
        }
        await using (var bf16 = await InferenceServer.StartAsync("--model", DefaultModelFixture.Dir, "--Inference:KvCacheBlocks", $"{Blocks}", "--kv-cache-dtype", "bf16"))
        {
            (bf16Size, bf16Report) = await Describe(bf16, KvCacheDType.BF16);
            var r = await Reference.PostJsonAsync(bf16.Http, "v1/completions", new { prompt = "Elizabeth", max_tokens = 8, temperature = 0 });
            Assert.Equal("length", r.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        }
        Assert.Contains("float32", f32Report);
        Assert.Contains("bfloat16", bf16Report);
        Assert.Contains($"{Blocks} blocks", bf16Report);
        // models/default: 6 layers, 2 kv heads x 64, blocks of 16 tokens; K and V
        long f32KvBytes = (long)Blocks * 2 * 6 * 16 * 2 * 64 * sizeof(float);
        Assert.Equal(f32KvBytes / 2, f32Size - bf16Size);
    }

    [Fact]
    public async Task Serve_UnknownKvCacheDType_FailsAtStartupNamingTheOption()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => InferenceServer.StartAsync("--model", DefaultModelFixture.Dir, "--Inference:KvCacheDType", "fp8"));
        var argument = Assert.IsType<ArgumentException>(Unwrap(e));
        Assert.Equal("Inference:KvCacheDType", argument.ParamName);
        Assert.Contains("fp8", argument.Message);
        Assert.Contains("bfloat16", argument.Message);
    }

    /// <summary>/api/ps size of the default model and its engine's startup report line, after checking the cache dtype.</summary>
    private static async Task<(long Size, string Report)> Describe(InferenceServer server, KvCacheDType expected)
    {
        var ps = JsonDocument.Parse(await server.Http.GetStringAsync("api/ps")).RootElement;
        long size = ps.GetProperty("models")[0].GetProperty("size").GetInt64();
        var loaded = Assert.Single(server.Services.GetRequiredService<ModelRegistry>().Loaded);
        Assert.Equal(expected, loaded.Engine.Cache.DType);
        Assert.Equal(Blocks, loaded.Engine.Cache.NumBlocks);
        return (size, loaded.Engine.Describe());
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is not ArgumentException && e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }
}
