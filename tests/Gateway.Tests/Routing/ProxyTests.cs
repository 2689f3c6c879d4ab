using System.Net;
using System.Text.Json;
using LlmSuite.Gateway.Tests.TestHost;

namespace LlmSuite.Gateway.Tests.Routing;

public sealed class ProxyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ChatCompletions_Streaming_FirstEventArrivesBeforeBackendFinishes()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis: null);
        backend.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = gateway.CreateClient();
        using var response = await Chat.PostAsync(client, Chat.Body("tiny", stream: true, temperature: null, "hi"));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // The backend is still holding the stream open: the first event must already be through the gateway.
        var first = await reader.ReadLineAsync().WaitAsync(Wait);
        Assert.StartsWith("data: ", first);
        Assert.False(backend.Gate.Task.IsCompleted);
        backend.Gate.SetResult();
        var rest = await reader.ReadToEndAsync().WaitAsync(Wait);
        Assert.EndsWith("data: [DONE]\n\n", rest);
    }

    [Fact]
    public async Task ChatCompletions_ClientDisconnects_AbortsBackendRequest()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis: null);
        backend.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var client = gateway.CreateClient())
        {
            var response = await Chat.PostAsync(client, Chat.Body("tiny", stream: true, temperature: null, "hi"));
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync().WaitAsync(Wait));
            response.Dispose(); // the client goes away mid-stream
        }
        await backend.StreamAborted.Task.WaitAsync(Wait);
        Assert.False(backend.Gate.Task.IsCompleted);
    }

    [Fact]
    public async Task OllamaChat_Ndjson_StreamsThrough()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis: null);
        using var client = gateway.CreateClient();
        using var response = await client.PostAsync("/api/chat", new StringContent("""{"model":"tiny","messages":[{"role":"user","content":"hi"}]}""", null, "application/json"));
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.True(JsonDocument.Parse(lines[^1]).RootElement.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task Models_TwoReplicas_ListsAreMerged()
    {
        await using var a = await FakeBackend.StartAsync("r0", "alpha", "shared");
        await using var b = await FakeBackend.StartAsync("r1", "beta", "shared");
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], redis: null);
        using var client = gateway.CreateClient();
        using var models = JsonDocument.Parse(await client.GetStringAsync("/v1/models"));
        var ids = models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order().ToArray();
        Assert.Equal<string[]>(["alpha", "beta", "shared"], ids);
        using var tags = JsonDocument.Parse(await client.GetStringAsync("/api/tags"));
        var names = tags.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).Order().ToArray();
        Assert.Equal<string[]>(["alpha", "beta", "shared"], names);
    }

    [Fact]
    public async Task ChatCompletions_ModelOnOneReplica_RoutesToThatReplica()
    {
        await using var a = await FakeBackend.StartAsync("r0", "alpha");
        await using var b = await FakeBackend.StartAsync("r1", "beta");
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], redis: null);
        using var client = gateway.CreateClient();
        await client.GetStringAsync("/v1/models"); // also refreshes the model → replica map
        for (var i = 0; i < 6; i++)
        {
            using var response = await Chat.PostAsync(client, Chat.Body("beta", stream: false, temperature: null, $"question {i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(0, a.Requests);
        Assert.Equal(6, b.Requests);
    }

    [Fact]
    public async Task ChatCompletions_DeadReplica_RetriedOnLiveReplica()
    {
        await using var live = await FakeBackend.StartAsync("r0");
        var dead = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}/");
        await using var gateway = await GatewayHost.StartAsync([dead, live.Address], redis: null,
            new Dictionary<string, string?> { ["Gateway:LoadBalancing:Policy"] = "RoundRobin" });
        using var client = gateway.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            using var response = await Chat.PostAsync(client, Chat.Body("tiny", stream: false, temperature: null, $"q{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(6, live.Requests);
    }

    [Fact]
    public async Task ChatCompletions_EveryReplicaDead_OpenAiErrorJsonNotAnEmpty502()
    {
        var dead = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}/");
        await using var gateway = await GatewayHost.StartAsync([dead], redis: null);
        using var client = gateway.CreateClient();

        using var response = await Chat.PostAsync(client, Chat.Body("tiny", stream: false, temperature: null, "anyone?"));

        Assert.True(response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, response.StatusCode.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("server_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ChatCompletions_Conversations_EachSticksAndTheySpread()
    {
        await using var a = await FakeBackend.StartAsync("r0");
        await using var b = await FakeBackend.StartAsync("r1");
        await using var gateway = await GatewayHost.StartAsync([a.Address, b.Address], redis: null);
        using var client = gateway.CreateClient();
        var served = new Dictionary<string, HashSet<string>> { ["x"] = [], ["y"] = [] };
        var turns = new Dictionary<string, List<string>> { ["x"] = [], ["y"] = [] };
        for (var turn = 0; turn < 5; turn++)
        {
            foreach (var conversation in new[] { "x", "y" })
            {
                turns[conversation].Add($"conversation {conversation} turn {turn}");
                using var response = await Chat.PostAsync(client, Chat.Body($"{conversation}: you are an assistant.", "tiny", false, null, [.. turns[conversation]]));
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                served[conversation].Add(json.RootElement.GetProperty("system_fingerprint").GetString()!);
            }
        }
        Assert.Single(served["x"]);
        Assert.Single(served["y"]);
        Assert.NotEqual(served["x"].Single(), served["y"].Single());
    }
}
