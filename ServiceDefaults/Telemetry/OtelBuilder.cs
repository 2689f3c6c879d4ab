using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace LlmSuite.ServiceDefaults.Telemetry;

/// <summary>
/// The <see cref="IOpenTelemetryBuilder"/> that <c>services.AddOpenTelemetry()</c> would return; that method lives in
/// OpenTelemetry.Extensions.Hosting, which our registry does not serve. The SDK's own builder extensions
/// (<c>WithTracing</c>, <c>WithMetrics</c>, <c>WithLogging</c>, <c>UseOtlpExporter</c>) work on it unchanged.
/// </summary>
internal sealed class OtelBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
