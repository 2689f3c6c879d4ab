using System.ClientModel;
using System.Net;
using LlmSuite.Gateway.Tests.TestHost;
using OpenAI;
using OpenAI.Chat;

namespace LlmSuite.Gateway.Tests.Caching;

public sealed class PromptCacheTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static Dictionary<string, string?> TwoKeys => new()
    {
        ["Gateway:Auth:Enabled"] = "true",
        ["Gateway:Auth:Keys:0:Key"] = "sk-alice",
        ["Gateway:Auth:Keys:0:Tenant"] = "alice",
        ["Gateway:Auth:Keys:1:Key"] = "sk-bob",
        ["Gateway:Auth:Keys:1:Tenant"] = "bob",
    };

    private static string? CacheHeader(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-cache", out var values) ? values.Single() : null;

    [Fact]
    public async Task ChatCompletions_RepeatedDeterministicRequest_HitWithoutReachingReplica()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, TwoKeys);
        using var client = gateway.CreateClient("sk-alice");
        var body = Chat.Body("tiny", stream: false, temperature: 0, $"cache me {Guid.NewGuid()}");
        using var first = await Chat.PostAsync(client, body);
        var firstText = await first.Content.ReadAsStringAsync();
        using var second = await Chat.PostAsync(client, body);
        Assert.Equal("miss", CacheHeader(first));
        Assert.Equal("hit", CacheHeader(second));
        Assert.Equal(firstText, await second.Content.ReadAsStringAsync());
        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task ChatCompletions_SameRequestOtherKey_NeverHitsOtherTenantsEntry()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, TwoKeys);
        var body = Chat.Body("tiny", stream: false, temperature: 0, $"tenant {Guid.NewGuid()}");
        using var alice = gateway.CreateClient("sk-alice");
        using var bob = gateway.CreateClient("sk-bob");
        await Chat.PostAndReadAsync(alice, body);
        using var bobFirst = await Chat.PostAsync(bob, body);
        Assert.Equal("miss", CacheHeader(bobFirst));
        Assert.Equal(2, backend.Requests);
    }

    [Fact]
    public async Task ChatCompletions_NonDeterministic_NotCached()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, TwoKeys);
        using var client = gateway.CreateClient("sk-alice");
        var body = Chat.Body("tiny", stream: false, temperature: 0.8, "sampled");
        using var first = await Chat.PostAsync(client, body);
        using var second = await Chat.PostAsync(client, body);
        Assert.Null(CacheHeader(second));
        Assert.Equal(2, backend.Requests);
    }

    [Fact]
    public async Task ChatCompletions_SeedGiven_Cached()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, TwoKeys);
        using var client = gateway.CreateClient("sk-alice");
        var body = Chat.Body("tiny", stream: false, temperature: 0.8, $"seeded {Guid.NewGuid()}");
        body["seed"] = 7;
        await Chat.PostAndReadAsync(client, body);   // disposing right after the headers made this a miss in CI
        using var second = await Chat.PostAsync(client, body);
        Assert.Equal("hit", CacheHeader(second));
    }

    [Fact]
    public async Task ChatCompletions_NoCacheHeader_BypassesLookup()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, TwoKeys);
        using var client = gateway.CreateClient("sk-alice");
        var body = Chat.Body("tiny", stream: false, temperature: 0, $"fresh {Guid.NewGuid()}");
        await Chat.PostAndReadAsync(client, body);
        using var second = await Chat.PostAsync(client, body, ("Cache-Control", "no-cache"));
        Assert.Equal("miss", CacheHeader(second));
        Assert.Equal(2, backend.Requests);
    }

    [Fact]
    public async Task CompleteChatStreaming_CachedReplay_IsValidSseForTheOpenAiSdk()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, TwoKeys);
        var chat = new ChatClient("tiny", new ApiKeyCredential("sk-alice"), new OpenAIClientOptions { Endpoint = new Uri(gateway.Address, "v1") });
        var prompt = $"replay {Guid.NewGuid()}";
        var options = new ChatCompletionOptions { Temperature = 0 };
        async Task<(string Text, ChatFinishReason? Finish, int? Tokens)> StreamAsync()
        {
            var text = "";
            ChatFinishReason? finish = null;
            int? tokens = null;
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(prompt)], options))
            {
                text += string.Concat(update.ContentUpdate.Select(p => p.Text));
                finish ??= update.FinishReason;
                tokens ??= update.Usage?.OutputTokenCount;
            }
            return (text, finish, tokens);
        }
        var live = await StreamAsync();
        var replay = await StreamAsync();
        Assert.Equal("echo:" + prompt, live.Text);
        Assert.Equal(live, replay);
        Assert.Equal(ChatFinishReason.Stop, replay.Finish);
        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task ChatCompletions_StreamedReplay_KeepsSseContentType()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, TwoKeys);
        using var client = gateway.CreateClient("sk-bob");
        var body = Chat.Body("tiny", stream: true, temperature: 0, $"sse {Guid.NewGuid()}");
        using var first = await Chat.PostAsync(client, body);
        var live = await first.Content.ReadAsStringAsync();
        using var second = await Chat.PostAsync(client, body);
        Assert.Equal("hit", CacheHeader(second));
        Assert.Equal("text/event-stream", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(live, await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }
}
