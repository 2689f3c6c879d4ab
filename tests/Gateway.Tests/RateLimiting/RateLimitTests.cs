using System.Net;
using System.Text.Json;
using LlmSuite.Gateway.Auth;
using LlmSuite.Gateway.RateLimiting;
using LlmSuite.Gateway.Tests.TestHost;
using StackExchange.Redis;

namespace LlmSuite.Gateway.Tests.RateLimiting;

public sealed class RateLimitTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 20, TimeSpan.Zero);

    private static Dictionary<string, string?> Key(string key, int rpm, int tpm) => new()
    {
        ["Gateway:Auth:Enabled"] = "true",
        ["Gateway:Auth:Keys:0:Key"] = key,
        ["Gateway:Auth:Keys:0:RequestsPerMinute"] = rpm.ToString(),
        ["Gateway:Auth:Keys:0:TokensPerMinute"] = tpm.ToString(),
    };

    [Fact]
    public async Task ChatCompletions_NPlusOneRequestAcrossTwoGateways_Returns429WithRetryAfter()
    {
        var key = $"sk-{Guid.NewGuid()}";
        var time = new FixedTimeProvider(Now);
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var g1 = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, Key(key, 3, 0), time);
        await using var g2 = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, Key(key, 3, 0), time);
        using var c1 = g1.CreateClient(key);
        using var c2 = g2.CreateClient(key);
        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { c1, c2, c1 })
        {
            using var ok = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi"));
            statuses.Add(ok.StatusCode);
        }
        using var limited = await Chat.PostAsync(c2, Chat.Body("tiny", false, null, "hi"));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(40), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("3", limited.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("0", limited.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        using var json = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal("rate_limit_exceeded", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(3, backend.Requests);
    }

    [Fact]
    public async Task ChatCompletions_TokenBudgetSpent_Returns429AndUsageIsRecorded()
    {
        var key = $"sk-{Guid.NewGuid()}";
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, Key(key, 0, 10), new FixedTimeProvider(Now));
        using var client = gateway.CreateClient(key);
        using var first = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi")); // 8 tokens
        await first.Content.ReadAsStringAsync();
        using var second = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi")); // 16 tokens
        await second.Content.ReadAsStringAsync();
        await WaitForUsageAsync(key, 2);
        using var third = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var usage = await UsageAsync(key);
        Assert.Equal(2, usage["requests"]);
        Assert.Equal(10, usage["prompt_tokens"]);
        Assert.Equal(6, usage["completion_tokens"]);
    }

    [Fact]
    public async Task ChatCompletions_CacheHits_CountAsRequestsButNotTokens()
    {
        var key = $"sk-{Guid.NewGuid()}";
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, Key(key, 0, 10), new FixedTimeProvider(Now));
        using var client = gateway.CreateClient(key);
        var body = Chat.Body("tiny", false, 0, $"cache me {Guid.NewGuid()}");
        var caches = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // 8 tokens on the miss; were hits counted, the third request would find 16 >= 10 tokens spent and get 429
            using var response = await Chat.PostAsync(client, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            caches.Add(response.Headers.GetValues("x-cache").Single());
            await response.Content.ReadAsStringAsync();
        }
        using var other = await Chat.PostAsync(client, Chat.Body("tiny", false, 0, $"another {Guid.NewGuid()}"));
        await other.Content.ReadAsStringAsync();
        await WaitForUsageAsync(key, 4);
        using var limited = await Chat.PostAsync(client, Chat.Body("tiny", false, 0, $"and another {Guid.NewGuid()}"));
        Assert.Equal(["miss", "hit", "hit"], caches);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(2, backend.Requests);
        var usage = await UsageAsync(key);
        Assert.Equal(4, usage["requests"]);
        Assert.Equal(10, usage["prompt_tokens"]);
        Assert.Equal(6, usage["completion_tokens"]);
    }

    [Fact]
    public async Task ChatCompletions_TokenBudgetSpent_CacheHitStillAnsweredOthers429()
    {
        var key = $"sk-{Guid.NewGuid()}";
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, Key(key, 5, 10), new FixedTimeProvider(Now));
        using var client = gateway.CreateClient(key);
        var cached = Chat.Body("tiny", false, 0, $"cache me {Guid.NewGuid()}");
        using var miss = await Chat.PostAsync(client, cached);                                            // 8 tokens
        await miss.Content.ReadAsStringAsync();
        using var spend = await Chat.PostAsync(client, Chat.Body("tiny", false, 0, $"spend {Guid.NewGuid()}")); // 16 >= 10
        await spend.Content.ReadAsStringAsync();
        await WaitForUsageAsync(key, 2);

        using var hit = await Chat.PostAsync(client, cached);
        using var fresh = await Chat.PostAsync(client, Chat.Body("tiny", false, 0, $"fresh {Guid.NewGuid()}"));
        using var sampled = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "not cacheable"));

        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal("hit", hit.Headers.GetValues("x-cache").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, fresh.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(40), fresh.Headers.RetryAfter?.Delta);
        using var json = JsonDocument.Parse(await fresh.Content.ReadAsStringAsync());
        Assert.Equal("tokens", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, sampled.StatusCode);
        Assert.Equal(2, backend.Requests);
        await WaitForUsageAsync(key, 3);
        var usage = await UsageAsync(key);
        Assert.Equal(3, usage["requests"]);                 // two misses and the hit; the refused two are not counted
        Assert.Equal(16, usage["prompt_tokens"] + usage["completion_tokens"]);
        // the request window counts the same three: two more fit under 5 requests/min (the hit again, twice), the third does not
        for (var i = 0; i < 2; i++)
        {
            using var again = await Chat.PostAsync(client, cached);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        using var over = await Chat.PostAsync(client, cached);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("0", over.Headers.GetValues("x-ratelimit-remaining-requests").Single());
    }

    /// <summary>
    /// Waits until the gateway has recorded <paramref name="requests"/> requests of usage: tokens are added after the
    /// response has been sent, so a client can send its next request before they are counted.
    /// </summary>
    private async Task WaitForUsageAsync(string key, long requests)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await UsageAsync(key)).GetValueOrDefault("requests") < requests)
        {
            Assert.True(DateTime.UtcNow < deadline, $"usage of {requests} requests was not recorded within 10 s");
            await Task.Delay(20);
        }
    }

    /// <summary>The key's usage hash for the test day (requests, prompt_tokens, completion_tokens), read from Redis.</summary>
    private async Task<Dictionary<string, long>> UsageAsync(string key)
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        return (await connection.GetDatabase().HashGetAllAsync(RedisRateLimiter.UsageKey(ApiKeyHasher.Hash(key)[..16], "20260102")))
            .ToDictionary(e => (string)e.Name!, e => (long)e.Value);
    }
}
