using LlmSuite.Gateway.Metrics;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace LlmSuite.Gateway.Routing;

/// <summary>
/// Proxy-pipeline step: when forwarding fails before any response byte reached the client (connect refused, reset
/// before headers), the request is sent again to another available replica (the body is buffered by
/// <see cref="Models.RequestParsingMiddleware"/> or absent). Never retries once the response has started.
/// </summary>
internal static class RetryBeforeFirstByte
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var remaining = proxy.AvailableDestinations;
        var maxRetries = context.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue.LoadBalancing.MaxRetries;
        var rewindable = context.Request.Body.CanSeek || context.Request.ContentLength is 0 or null && !context.Request.Headers.ContainsKey("Transfer-Encoding");
        for (var attempt = 0; ; attempt++)
        {
            await next();
            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null || context.Response.HasStarted || attempt >= maxRetries || !rewindable
                || context.RequestAborted.IsCancellationRequested || !IsBeforeResponse(error.Error))
            {
                return;
            }
            var failed = proxy.ProxiedDestination;
            remaining = [.. remaining.Where(d => !ReferenceEquals(d, failed))];
            if (remaining.Count == 0)
            {
                return;
            }
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }
            proxy.AvailableDestinations = remaining;
            context.RequestServices.GetRequiredService<GatewayMetrics>().Retried();
        }
    }

    private static bool IsBeforeResponse(ForwarderError error)
        => error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.NoAvailableDestinations;
}
