using LlmSuite.Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LlmSuite.Gateway.Auth;

/// <summary>
/// Looks keys up by hash: first the configured keys (<c>Gateway:Auth:Keys</c>), then Redis hashes
/// <c>gw:apikey:{sha256}</c> (fields tenant, rpm, tpm) so keys added by an operator or another gateway also work.
/// Configured keys are written to Redis (hashed) at startup and whenever Redis comes back.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly Dictionary<string, ApiKeyIdentity> _configured = new(StringComparer.Ordinal);
    private readonly RedisConnection _redis;

    /// <summary>Hashes the configured keys.</summary>
    public ApiKeyStore(IOptions<GatewayOptions> options, RedisConnection redis)
    {
        _redis = redis;
        var limits = options.Value.RateLimiting;
        foreach (var key in options.Value.Auth.Keys.Where(k => !string.IsNullOrEmpty(k.Key)))
        {
            var hash = ApiKeyHasher.Hash(key.Key);
            _configured[hash] = new ApiKeyIdentity(hash[..16], key.Tenant ?? hash[..16],
                key.RequestsPerMinute > 0 ? key.RequestsPerMinute : limits.RequestsPerMinute,
                key.TokensPerMinute > 0 ? key.TokensPerMinute : limits.TokensPerMinute);
        }
    }

    /// <summary>Redis key of a key hash.</summary>
    public static string RedisKey(string hash) => "gw:apikey:" + hash;

    /// <summary>Writes the configured keys' hashes to Redis; false when Redis is unavailable.</summary>
    public async Task<bool> PublishAsync()
    {
        var (ok, _) = await _redis.TryAsync(async db =>
        {
            foreach (var (hash, id) in _configured)
            {
                await db.HashSetAsync(RedisKey(hash),
                [
                    new HashEntry("tenant", id.Tenant), new HashEntry("rpm", id.RequestsPerMinute), new HashEntry("tpm", id.TokensPerMinute),
                ]);
            }
            return true;
        }, false);
        return ok;
    }

    /// <summary>The identity of <paramref name="presentedKey"/>, or null when unknown.</summary>
    public async Task<ApiKeyIdentity?> FindAsync(string presentedKey)
    {
        var hash = ApiKeyHasher.Hash(presentedKey);
        if (_configured.TryGetValue(hash, out var identity))
        {
            return identity;
        }
        var (_, fields) = await _redis.TryAsync(db => db.HashGetAllAsync(RedisKey(hash)), []);
        if (fields.Length == 0)
        {
            return null;
        }
        var map = fields.ToDictionary(f => (string)f.Name!, f => f.Value);
        return new ApiKeyIdentity(hash[..16],
            map.TryGetValue("tenant", out var tenant) && !tenant.IsNullOrEmpty ? (string)tenant! : hash[..16],
            map.TryGetValue("rpm", out var rpm) && rpm.TryParse(out int r) ? r : 0,
            map.TryGetValue("tpm", out var tpm) && tpm.TryParse(out int t) ? t : 0);
    }
}
