using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmSuite.InferenceService.Models;

/// <summary>Readiness: healthy once the default model is loaded (so /health is 503 until then).</summary>
internal sealed class DefaultModelHealthCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["loaded"] = registry.Loaded.Select(m => m.Entry.Name).ToArray() };
        return Task.FromResult(registry.DefaultLoaded
            ? HealthCheckResult.Healthy($"default model {registry.Default!.Name} loaded", data)
            : HealthCheckResult.Unhealthy(registry.Default is null ? "no default model configured" : $"default model {registry.Default.Name} is loading", data: data));
    }
}
