using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmSuite.Gateway.Redis;

/// <summary>Reports Redis in <c>/health</c>: Degraded (still HTTP 200: the gateway keeps serving) during an outage.</summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConfigured)
        {
            return Task.FromResult(HealthCheckResult.Healthy("redis not configured"));
        }
        if (redis.IsAvailable)
        {
            return Task.FromResult(HealthCheckResult.Healthy("redis connected"));
        }
        var data = new Dictionary<string, object> { ["since"] = redis.OutageSince?.ToString("O") ?? "startup" };
        return Task.FromResult(HealthCheckResult.Degraded("redis unavailable: cache bypassed, limits per configuration", data: data));
    }
}
