using System.Diagnostics.Metrics;

namespace LlmSuite.Gateway.Metrics;

/// <summary>The gateway's instruments (meter <c>LlmSuite.Gateway</c>, exported at <c>/metrics</c>).</summary>
public sealed class GatewayMetrics : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "LlmSuite.Gateway";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _cache;
    private readonly Histogram<double> _cacheHitMs;
    private readonly Counter<long> _routing;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _redisErrors;
    private readonly Counter<long> _retries;
    private long _hits;
    private long _lookups;

    /// <summary>Creates the instruments; <paramref name="redisUp"/> feeds the <c>gateway.redis.up</c> gauge.</summary>
    public GatewayMetrics()
    {
        _cache = _meter.CreateCounter<long>("gateway.cache.requests", description: "Prompt cache lookups by result (hit, miss, bypass).");
        _cacheHitMs = _meter.CreateHistogram<double>("gateway.cache.hit.duration", "ms", "Time to answer a cache hit.");
        _routing = _meter.CreateCounter<long>("gateway.routing.decisions", description: "Load-balancing decisions by reason.");
        _rateLimited = _meter.CreateCounter<long>("gateway.ratelimit.rejections", description: "Requests answered 429.");
        _redisErrors = _meter.CreateCounter<long>("gateway.redis.errors", description: "Redis operations that failed.");
        _retries = _meter.CreateCounter<long>("gateway.retries", description: "Requests retried on another replica.");
        _meter.CreateObservableGauge("gateway.cache.hit_ratio", () => _lookups == 0 ? 0.0 : (double)_hits / _lookups, description: "Hits / lookups since start.");
        _meter.CreateObservableGauge("gateway.redis.up", () => RedisUp?.Invoke() == true ? 1 : 0, description: "1 when Redis is connected.");
    }

    /// <summary>Set by the Redis connection.</summary>
    public Func<bool>? RedisUp { get; set; }

    /// <summary>Counts a cache lookup.</summary>
    public void CacheLookup(string result)
    {
        _cache.Add(1, new KeyValuePair<string, object?>("result", result));
        if (result != "bypass")
        {
            Interlocked.Increment(ref _lookups);
            if (result == "hit")
            {
                Interlocked.Increment(ref _hits);
            }
        }
    }

    /// <summary>Records a cache hit's latency.</summary>
    public void CacheHitDuration(double milliseconds) => _cacheHitMs.Record(milliseconds);

    /// <summary>Counts a routing decision (<c>prefix</c>, <c>balance</c>, <c>least_loaded</c>, <c>single</c>).</summary>
    public void Routed(string reason) => _routing.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a 429.</summary>
    public void RateLimited() => _rateLimited.Add(1);

    /// <summary>Counts a failed Redis operation.</summary>
    public void RedisError() => _redisErrors.Add(1);

    /// <summary>Counts a retry.</summary>
    public void Retried() => _retries.Add(1);

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
