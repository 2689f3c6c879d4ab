using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmSuite.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry wiring with the packages our registry serves (OpenTelemetry + the OTLP exporter; the
/// Extensions.Hosting and Instrumentation packages are not served, so <see cref="OtelBuilder"/>,
/// <see cref="TelemetryHostedService"/> and <see cref="ServerSpanEnricher"/> stand in for them).
/// </summary>
public static class OpenTelemetryExtensions
{
    /// <summary>ActivitySource/Meter name shared by the suite's own instrumentation.</summary>
    public const string SuiteSourceName = "LlmSuite";

    /// <summary>The meters every service exports (ASP.NET Core, Kestrel, HttpClient, runtime, the suite's own).</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting", "System.Net.Http",
        "System.Runtime", SuiteSourceName, "LlmSuite.*",
    ];

    /// <summary>Configures resource, traces, metrics and logs; OTLP export switches on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var config = builder.Configuration;
        var serviceName = config["OTEL_SERVICE_NAME"] is { Length: > 0 } n ? n : builder.Environment.ApplicationName;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = new OtelBuilder(builder.Services)
            // OTEL_RESOURCE_ATTRIBUTES (e.g. service.instance.id=inference-1) is read by the SDK's env detector;
            // a random instance id is generated only when the orchestrator gave none.
            .ConfigureResource(r => r.AddService(
                serviceName, autoGenerateServiceInstanceId: ResourceAttributes.InstanceId(config) is null))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, SuiteSourceName, "LlmSuite.*", "System.Net.Http")
                .AddSource(ServerSpanEnricher.AspNetCoreSourceName))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters, builder.Environment.ApplicationName]))
            .WithLogging();

        if (!string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Reads OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS and OTEL_RESOURCE_ATTRIBUTES from configuration.
            otel.UseOtlpExporter();
            if (int.TryParse(config["OTEL_METRIC_EXPORT_INTERVAL"], out var intervalMs) && intervalMs > 0)
            {
                builder.Services.Configure<MetricReaderOptions>(o =>
                    o.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = intervalMs);
            }
        }

        builder.Services.AddHostedService<TelemetryHostedService>();
        return builder;
    }
}
