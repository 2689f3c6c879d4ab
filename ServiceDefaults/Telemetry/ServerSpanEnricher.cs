using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmSuite.ServiceDefaults.Telemetry;

/// <summary>
/// Gives ASP.NET Core's server span what OpenTelemetry.Instrumentation.AspNetCore (not served) would: the
/// <c>"{method} {route}"</c> display name and the semantic-convention tags method, path, route, scheme and status.
/// Probe and scrape requests (<c>/health</c>, <c>/alive</c>, <c>/metrics</c>) are not recorded.
/// </summary>
internal static class ServerSpanEnricher
{
    public const string AspNetCoreSourceName = "Microsoft.AspNetCore";

    public static IApplicationBuilder UseServerSpanEnrichment(this IApplicationBuilder app) => app.Use(EnrichAsync);

    private static async Task EnrichAsync(HttpContext context, RequestDelegate next)
    {
        var activity = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity;
        if (activity is null)
        {
            await next(context);
            return;
        }
        if (IsProbe(context.Request.Path))
        {
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            await next(context);
            return;
        }

        var method = context.Request.Method;
        activity.DisplayName = method;
        activity.SetTag("http.request.method", method);
        activity.SetTag("url.path", context.Request.Path.Value);
        activity.SetTag("url.scheme", context.Request.Scheme);
        activity.SetTag("server.address", context.Request.Host.Host);
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            if (route is not null)
            {
                activity.DisplayName = $"{method} {route}";
                activity.SetTag("http.route", route);
            }
            var status = context.Response.StatusCode;
            activity.SetTag("http.response.status_code", status);
            if (status >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    private static bool IsProbe(PathString path)
        => path.Equals("/health", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/alive", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);
}
