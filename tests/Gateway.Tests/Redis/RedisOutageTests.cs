using System.Net;
using LlmSuite.Gateway.Redis;
using LlmSuite.Gateway.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSuite.Gateway.Tests.Redis;

public sealed class RedisOutageTests
{
    private static string? CacheHeader(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-cache", out var values) ? values.Single() : null;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition(), "condition not reached within 15 s");
    }

    [Fact]
    public async Task ChatCompletions_RedisKilledThenRestarted_KeepsServingAndCacheRecovers()
    {
        using var redis = new RedisServer();
        await using var backend = await FakeBackend.StartAsync("r0");
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Auth:Enabled"] = "true",
            ["Gateway:Auth:Keys:0:Key"] = "sk-outage",
            ["Gateway:Auth:Keys:0:RequestsPerMinute"] = "1000",
        };
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.ConnectionString, settings);
        var connection = gateway.Services.GetRequiredService<RedisConnection>();
        using var client = gateway.CreateClient("sk-outage");
        var body = Chat.Body("tiny", stream: false, temperature: 0, "outage");
        await Chat.PostAndReadAsync(client, body);
        using (var hit = await Chat.PostAsync(client, body))
        {
            Assert.Equal("hit", CacheHeader(hit));
        }

        redis.Kill();
        await WaitUntilAsync(() => !connection.IsAvailable);
        for (var i = 0; i < 3; i++)
        {
            using var during = await Chat.PostAsync(client, body);
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            Assert.Null(CacheHeader(during)); // cache bypassed, limits failed open
        }
        Assert.Equal(4, backend.Requests);
        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("redis unavailable", await health.Content.ReadAsStringAsync());
        }

        redis.Start();
        await WaitUntilAsync(() => connection.IsAvailable);
        using (var miss = await Chat.PostAsync(client, body))
        {
            Assert.Equal("miss", CacheHeader(miss)); // the restarted Redis is empty
        }
        using (var again = await Chat.PostAsync(client, body))
        {
            Assert.Equal("hit", CacheHeader(again));
        }
        Assert.Equal(5, backend.Requests);
    }

    [Fact]
    public async Task ChatCompletions_RedisDownFailClosed_Returns503()
    {
        var port = RedisServer.FreePort(); // nothing listens there
        await using var backend = await FakeBackend.StartAsync("r0");
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Auth:Enabled"] = "true",
            ["Gateway:Auth:Keys:0:Key"] = "sk-closed",
            ["Gateway:Auth:Keys:0:RequestsPerMinute"] = "10",
            ["Gateway:RateLimiting:FailOpen"] = "false",
        };
        await using var gateway = await GatewayHost.StartAsync([backend.Address], $"127.0.0.1:{port}", settings);
        using var client = gateway.CreateClient("sk-closed");
        using var response = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, backend.Requests);
    }
}
