using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LlmSuite.ServiceDefaults.Telemetry;

/// <summary>
/// Builds the tracer and meter providers when the host starts, so they listen from the first request
/// (what the Hosting package's hosted service does). The container disposes them at shutdown, which flushes exports.
/// </summary>
internal sealed class TelemetryHostedService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetService<TracerProvider>();
        _ = services.GetService<MeterProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
