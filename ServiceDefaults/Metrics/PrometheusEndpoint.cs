using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSuite.ServiceDefaults.Metrics;

/// <summary>Serves <see cref="PrometheusCollector.Scrape"/> at <c>/metrics</c>.</summary>
public static class PrometheusEndpoint
{
    /// <summary>Registers the process-wide collector.</summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddSingleton(_ => new PrometheusCollector());
        return services;
    }

    /// <summary>The request handler.</summary>
    public static Task HandleAsync(HttpContext context, PrometheusCollector collector)
    {
        context.Response.ContentType = PrometheusCollector.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(collector.Scrape(), context.RequestAborted);
    }
}
