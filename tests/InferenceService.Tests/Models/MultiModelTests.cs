using System.Net.Http.Json;
using System.Text.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.Models;

/// <summary>Two models in a models directory (one the default), a 1 s keep-alive, one running slot and no queue.</summary>
public sealed class MultiModelFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "inference-multi-" + Guid.NewGuid().ToString("N"));

    public InferenceServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TinyModel.Write(Path.Combine(Root, "alpha"), seed: 1);
        TinyModel.Write(Path.Combine(Root, "beta"), seed: 2);
        Server = await InferenceServer.StartAsync(
            "--model", Path.Combine(Root, "alpha"), "--models-dir", Root, "--keep-alive", "00:00:01",
            "--max-num-seqs", "1", "--max-queued-requests", "0", "--Inference:KvCacheBlocks", "256");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

public sealed class MultiModelTests(MultiModelFixture fixture) : IClassFixture<MultiModelFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task TwoModels_BothListedBothAnswerAndTheIdleOneUnloadsAfterKeepAlive()
    {
        var models = JsonDocument.Parse(await Http.GetStringAsync("v1/models")).RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("alpha", models);
        Assert.Contains("beta", models);

        foreach (var model in new[] { "alpha", "beta" })
        {
            var r = await Reference.PostJsonAsync(Http, "v1/completions", new { model, prompt = "Hi", max_tokens = 3, temperature = 0 });
            Assert.Equal(3, r.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }
        // different random weights: different greedy ids for the same prompt
        var a = await Reference.PostJsonAsync(Http, "v1/completions", new { model = "alpha", prompt = "Hi", max_tokens = 8, temperature = 0, logprobs = 0, return_tokens_as_token_ids = true });
        var b = await Reference.PostJsonAsync(Http, "v1/completions", new { model = "beta", prompt = "Hi", max_tokens = 8, temperature = 0, logprobs = 0, return_tokens_as_token_ids = true });
        Assert.NotEqual(a.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("tokens").GetRawText(), b.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("tokens").GetRawText());

        Assert.Contains("beta:latest", await LoadedAsync());
        var unloaded = false;
        for (var i = 0; i < 100 && !unloaded; i++)
        {
            await Task.Delay(100);
            unloaded = !(await LoadedAsync()).Contains("beta:latest");
        }
        Assert.True(unloaded, "beta was still loaded 10 s after its 1 s keep-alive");
        Assert.Contains("alpha:latest", await LoadedAsync()); // the default model stays
    }

    [Fact]
    public async Task Flood_BeyondTheQueueLimit_Returns429WithRetryAfter()
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = JsonContent.Create(new { model = "alpha", prompt = "Hold the only slot", max_tokens = 1900, ignore_eos = true, temperature = 0, stream = true }),
        };
        using (var holder = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(200, (int)holder.StatusCode);

            using var refused = await Http.PostAsJsonAsync("v1/completions", new { model = "alpha", prompt = "Me too", max_tokens = 2 });

            Assert.Equal(429, (int)refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            Assert.True(refused.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        }
        // the slot frees once the holder is gone
        for (var i = 0; i < 50; i++)
        {
            using var retry = await Http.PostAsJsonAsync("v1/completions", new { model = "alpha", prompt = "Now", max_tokens = 2 });
            if ((int)retry.StatusCode == 200)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("the slot did not free after the holder disconnected");
    }

    private async Task<List<string?>> LoadedAsync() =>
        [.. JsonDocument.Parse(await Http.GetStringAsync("api/ps")).RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString())];
}
