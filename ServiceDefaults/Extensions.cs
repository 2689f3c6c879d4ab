using LlmSuite.ServiceDefaults.Health;
using LlmSuite.ServiceDefaults.Metrics;
using LlmSuite.ServiceDefaults.RequestIds;
using LlmSuite.ServiceDefaults.Resilience;
using LlmSuite.ServiceDefaults.ServiceDiscovery;
using LlmSuite.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The suite's service defaults, the Aspire way: telemetry, health, service discovery, resilience and request ids.
/// Every service calls <see cref="AddServiceDefaults{TBuilder}"/> and <see cref="MapDefaultEndpoints"/>.
/// </summary>
public static class Extensions
{
    /// <summary>Path of the readiness endpoint (every health check).</summary>
    public const string HealthPath = "/health";

    /// <summary>Path of the liveness endpoint (checks tagged "live").</summary>
    public const string AlivePath = "/alive";

    /// <summary>Path of the Prometheus text exposition.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Adds OpenTelemetry, Prometheus metrics, health checks, service discovery, HttpClient resilience and request ids.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
            http.AddHttpMessageHandler<RequestIdHandler>();
        });
        return builder;
    }

    /// <summary>Everything of <see cref="AddServiceDefaults{TBuilder}"/> except the HttpClient defaults (for proxies that own their HTTP stack).</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.QuietFrameworkLogs("Microsoft.AspNetCore");
        builder.AddDefaultHealthChecks();
        builder.Services.AddPrometheusMetrics();
        builder.Services.AddServiceDiscovery();
        builder.Services.AddRequestIds();
        return builder;
    }

    /// <summary>
    /// Per-request Information logs of a framework category (request start/finish, endpoint, result lines: several per
    /// request, and the gateway polls every replica's /v1/models) at Warning, unless the Logging configuration names
    /// the category itself (e.g. <c>Logging__LogLevel__Microsoft.AspNetCore=Information</c> turns them back on).
    /// </summary>
    public static TBuilder QuietFrameworkLogs<TBuilder>(this TBuilder builder, string category) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }
        return builder;
    }

    /// <summary>Adds the "self" liveness check that every service has.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every check), <c>/alive</c> (live: checks tagged "live") and <c>/metrics</c> in every
    /// environment (unlike the Aspire template, which maps them in Development only: Kubernetes probes need them),
    /// and installs the request-id and server-span middleware at the front of the pipeline.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseRequestIds();
        app.UseServerSpanEnrichment();
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        _ = app.Services.GetRequiredService<PrometheusCollector>(); // listen from startup, not from the first scrape
        app.MapPrometheusMetrics(MetricsPath);
        return app;
    }

    /// <summary>Maps the Prometheus endpoint on any route builder.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string path)
        => endpoints.MapGet(path, PrometheusEndpoint.HandleAsync).ExcludeFromDescription();
}
