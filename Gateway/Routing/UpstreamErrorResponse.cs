using LlmSuite.Gateway.Auth;
using Yarp.ReverseProxy.Forwarder;

namespace LlmSuite.Gateway.Routing;

/// <summary>
/// Outermost proxy-pipeline step: when no replica could answer (none available, connection refused, timed out)
/// and nothing was sent yet, the client gets OpenAI's error JSON instead of YARP's empty 502/503 — 503 with
/// <c>Retry-After</c> when no replica is available, 502/504 when the chosen one failed.
/// </summary>
internal static class UpstreamErrorResponse
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        var (status, message) = error.Error switch
        {
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "no inference replica is available; retry shortly"),
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "the inference replica did not answer in time"),
            _ => (StatusCodes.Status502BadGateway, "the inference replica could not be reached"),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }
        await OpenAiError.WriteAsync(context, status, message, "server_error", "upstream_unavailable");
    }
}
