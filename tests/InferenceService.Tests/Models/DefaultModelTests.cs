using System.Text.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.Models;

/// <summary>The bundled models/default served over HTTP reproduces its committed PyTorch reference (reference.json).</summary>
public sealed class DefaultModelFixture : IAsyncLifetime
{
    public static string Dir => Path.Combine(TinyModel.RepoRoot(), "models", "default");

    public JsonElement Reference { get; private set; }

    public InferenceServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(Dir, "reference.json");
        Assert.True(File.Exists(path), $"{path} is missing: the bundled model (scripts/train-default-model) is not in models/default");
        Reference = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement.Clone();
        Server = await InferenceServer.StartAsync("--model", Dir, "--Inference:KvCacheBlocks", "256");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class DefaultModelTests(DefaultModelFixture fixture) : IClassFixture<DefaultModelFixture>
{
    [Fact]
    public async Task CreateCompletion_ReferencePromptIds_ReturnsTheReferenceGreedyIds()
    {
        var cases = fixture.Reference.GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var prompt = c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var expected = c.GetProperty("greedy_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();

            var r = await TestHost.Reference.PostJsonAsync(fixture.Server.Http, "v1/completions", new
            {
                prompt, max_tokens = 32, temperature = 0, logprobs = 0, return_tokens_as_token_ids = true,
            });

            var choice = r.GetProperty("choices")[0];
            var ids = choice.GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => int.Parse(t.GetString()!["token_id:".Length..])).ToArray();
            Assert.Equal(expected, ids);
            Assert.Equal(c.GetProperty("stopped_at_im_end").GetBoolean() ? "stop" : "length", choice.GetProperty("finish_reason").GetString());
        }
    }

    [Fact]
    public async Task Tokenize_ReferenceMessages_ReturnsTheReferencePromptIds()
    {
        foreach (var c in fixture.Reference.GetProperty("cases").EnumerateArray())
        {
            var r = await TestHost.Reference.PostJsonAsync(fixture.Server.Http, "tokenize", new { messages = c.GetProperty("messages") });

            Assert.Equal(c.GetProperty("prompt_ids").GetRawText().Replace(" ", "").Replace("\n", ""), r.GetProperty("tokens").GetRawText());
        }
    }

    [Fact]
    public async Task Health_DefaultModelLoaded_Returns200()
    {
        using var health = await fixture.Server.Http.GetAsync("health");

        Assert.Equal(200, (int)health.StatusCode);
    }
}
