using LlmSuite.Gateway.Tests.TestHost;

namespace LlmSuite.Gateway.Tests.Caching;

public sealed class CacheMetricsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Metrics_AfterMissAndHit_ExportsCacheAndRedisSeries()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString);
        using var client = gateway.CreateClient();
        var body = Chat.Body("tiny", stream: false, temperature: 0, $"metrics {Guid.NewGuid()}");
        await Chat.PostAndReadAsync(client, body);
        await Chat.PostAndReadAsync(client, body);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("gateway_cache_requests", metrics);
        Assert.Contains("gateway_cache_hit_ratio", metrics);
        Assert.Contains("gateway_redis_up", metrics);
        Assert.Contains("gateway_routing_decisions", metrics);
    }
}
