using LlmSuite.Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LlmSuite.Gateway.Caching;

/// <summary>The prompt cache in Redis (string values with TTL); every failure is a miss.</summary>
internal sealed class RedisPromptCache(RedisConnection redis, IOptionsMonitor<GatewayOptions> options) : IPromptCache
{
    public bool IsAvailable => redis.IsAvailable;

    public async Task<CachedResponse?> GetAsync(string key)
    {
        var (_, value) = await redis.TryAsync(db => db.StringGetAsync(key), RedisValue.Null);
        return value.IsNull ? null : CachedResponse.Deserialize(value);
    }

    public Task SetAsync(string key, CachedResponse response)
        => redis.TryAsync(db => db.StringSetAsync(key, response.Serialize(), options.CurrentValue.Cache.Ttl), false);
}
