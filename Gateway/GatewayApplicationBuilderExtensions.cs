using LlmSuite.Gateway;
using LlmSuite.Gateway.Auth;
using LlmSuite.Gateway.Caching;
using LlmSuite.Gateway.Models;
using LlmSuite.Gateway.RateLimiting;
using LlmSuite.Gateway.Routing;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The gateway's request pipeline: parse → API key → limits → cache → own endpoints / YARP.</summary>
public static class GatewayApplicationBuilderExtensions
{
    /// <summary>Maps the gateway (call after <c>MapDefaultEndpoints</c>).</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var authEnabled = options.Auth.Enabled ?? !app.Environment.IsDevelopment();
        app.UseMiddleware<RequestParsingMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>(authEnabled);
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseMiddleware<PromptCacheMiddleware>();
        app.MapGet("/v1/models", ModelListEndpoints.GetOpenAiModels);
        app.MapGet("/api/tags", ModelListEndpoints.GetOllamaTags);
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(UpstreamErrorResponse.InvokeAsync);
            proxy.Use(RetryBeforeFirstByte.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
