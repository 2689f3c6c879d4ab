using LlmSuite.Gateway.Auth;
using LlmSuite.Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LlmSuite.Gateway.RateLimiting;

/// <summary>
/// Per-key fixed one-minute windows shared by every gateway instance through Redis. One Lua script counts the request
/// and checks both the request and the token budget atomically; tokens are added after the response
/// (<see cref="RecordUsageAsync"/>), together with the key's daily usage hash <c>gw:usage:{keyId}:{yyyyMMdd}</c>.
/// </summary>
public sealed class RedisRateLimiter(RedisConnection redis, IOptionsMonitor<GatewayOptions> options, TimeProvider time)
{
    // KEYS[1] requests counter, KEYS[2] tokens counter; ARGV[1] request limit (0 = none), ARGV[2] token limit, ARGV[3] ttl ms.
    // Returns {allowed, requests, tokens, reason}: reason 1 = request limit (not counted), 2 = token budget only (counted,
    // so a prompt-cache hit can still be answered within the request limit; released otherwise).
    private const string CheckScript = """
        local requests = redis.call('INCR', KEYS[1])
        if requests == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
        local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
        local rpm = tonumber(ARGV[1])
        local tpm = tonumber(ARGV[2])
        if rpm > 0 and requests > rpm then
          redis.call('DECR', KEYS[1])
          return {0, requests - 1, tokens, 1}
        end
        if tpm > 0 and tokens >= tpm then
          return {0, requests, tokens, 2}
        end
        return {1, requests, tokens, 0}
        """;

    private const string UsageScript = """
        redis.call('INCRBY', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('HINCRBY', KEYS[2], 'requests', 1)
        redis.call('HINCRBY', KEYS[2], 'prompt_tokens', ARGV[3])
        redis.call('HINCRBY', KEYS[2], 'completion_tokens', ARGV[4])
        redis.call('EXPIRE', KEYS[2], 2764800)
        return 1
        """;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Counts one request for <paramref name="identity"/> and decides.</summary>
    public async Task<RateLimitDecision> CheckAsync(ApiKeyIdentity identity)
    {
        var (window, reset) = CurrentWindow();
        int rpm = identity.RequestsPerMinute, tpm = identity.TokensPerMinute;
        if (rpm <= 0 && tpm <= 0)
        {
            return new RateLimitDecision(true, 0, 0, 0, 0, reset, true);
        }
        var (ok, result) = await redis.TryAsync(async db => (RedisResult[])(await db.ScriptEvaluateAsync(CheckScript,
            [RequestsKey(identity, window), TokensKey(identity, window)],
            [rpm, tpm, (long)(reset.TotalMilliseconds + 5000)]))!, []);
        if (!ok || result.Length != 4)
        {
            return new RateLimitDecision(options.CurrentValue.RateLimiting.FailOpen, rpm, rpm, tpm, tpm, reset, false);
        }
        var allowed = (int)result[0] == 1;
        var requests = (long)result[1];
        var tokens = (long)result[2];
        return new RateLimitDecision(allowed, rpm, Math.Max(0, rpm - requests), tpm, Math.Max(0, tpm - tokens), reset, true, (int)result[3] == 2);
    }

    /// <summary>Uncounts a request that a <see cref="RateLimitDecision.TokensOnly"/> check counted but that was refused.</summary>
    public async Task ReleaseRequestAsync(ApiKeyIdentity identity)
    {
        var (window, _) = CurrentWindow();
        await redis.TryAsync(db => db.StringDecrementAsync(RequestsKey(identity, window)), 0L);
    }

    /// <summary>Adds the response's tokens to the key's window and daily usage.</summary>
    public async Task RecordUsageAsync(ApiKeyIdentity identity, long promptTokens, long completionTokens)
    {
        var (window, reset) = CurrentWindow();
        var day = time.GetUtcNow().ToString("yyyyMMdd");
        await redis.TryAsync(db => db.ScriptEvaluateAsync(UsageScript,
            [TokensKey(identity, window), UsageKey(identity.KeyId, day)],
            [promptTokens + completionTokens, (long)(reset.TotalMilliseconds + 5000), promptTokens, completionTokens]), default(RedisResult));
    }

    /// <summary>Redis key of a key's daily usage hash (fields requests, prompt_tokens, completion_tokens).</summary>
    public static string UsageKey(string keyId, string day) => $"gw:usage:{keyId}:{day}";

    private (long Window, TimeSpan Reset) CurrentWindow()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)Window.TotalMilliseconds;
        return (now / windowMs, TimeSpan.FromMilliseconds(windowMs - now % windowMs));
    }

    private static string RequestsKey(ApiKeyIdentity id, long window) => $"gw:rl:{{{id.KeyId}}}:req:{window}";
    private static string TokensKey(ApiKeyIdentity id, long window) => $"gw:rl:{{{id.KeyId}}}:tok:{window}";
}
