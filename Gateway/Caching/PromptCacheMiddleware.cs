using System.Diagnostics;
using LlmSuite.Gateway.Auth;
using LlmSuite.Gateway.Metrics;
using LlmSuite.Gateway.Models;
using LlmSuite.Gateway.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace LlmSuite.Gateway.Caching;

/// <summary>
/// Answers a repeated deterministic generation request from the cache (<c>x-cache: hit</c>, the replica is not
/// called) or forwards it and stores a complete 200 answer (<c>x-cache: miss</c>). A streamed answer is stored as the
/// stream it was and replayed as the same valid SSE/NDJSON. <c>Cache-Control: no-cache</c> skips the lookup (the
/// fresh answer is stored). Non-deterministic requests are not touched (no header). When the key's token budget is
/// spent (<see cref="CacheOnlyFeature"/>) only a hit is answered; everything else gets the limiter's 429.
/// </summary>
internal sealed class PromptCacheMiddleware(RequestDelegate next, IPromptCache cache, IOptionsMonitor<GatewayOptions> options, GatewayMetrics metrics)
{
    /// <summary>Response header with the cache result.</summary>
    public const string Header = "x-cache";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Features.Get<GatewayRequest>();
        var settings = options.CurrentValue.Cache;
        var cacheOnly = context.Features.Get<CacheOnlyFeature>(); // token budget spent: answer hits, refuse the rest
        if (request is null || !request.Deterministic || !settings.Enabled || !GatewayPaths.IsGeneration(context.Request.Path))
        {
            await (cacheOnly is null ? next(context) : cacheOnly.RejectAsync(context));
            return;
        }
        if (!cache.IsAvailable)
        {
            metrics.CacheLookup("bypass");
            await (cacheOnly is null ? next(context) : cacheOnly.RejectAsync(context));
            return;
        }
        var tenant = context.Features.Get<ApiKeyIdentity>()?.Tenant ?? ApiKeyIdentity.Anonymous.Tenant;
        var key = PromptCacheKey.For(tenant, context.Request.Path.Value!, request.Model, request.CanonicalBody);
        var noCache = context.Request.Headers.CacheControl.ToString().Contains("no-cache", StringComparison.OrdinalIgnoreCase);
        if (!noCache)
        {
            var started = Stopwatch.GetTimestamp();
            var hit = await cache.GetAsync(key);
            if (hit is not null)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = hit.ContentType;
                context.Response.Headers[Header] = "hit";
                context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
                context.Response.ContentLength = hit.Body.Length;
                await context.Response.Body.WriteAsync(hit.Body, context.RequestAborted);
                metrics.CacheLookup("hit");
                metrics.CacheHitDuration(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
        }
        metrics.CacheLookup(noCache ? "bypass" : "miss");
        if (cacheOnly is not null)
        {
            await cacheOnly.RejectAsync(context);
            return;
        }
        context.Response.Headers[Header] = "miss";
        var original = context.Response.Body;
        var capture = new CaptureStream(original, settings.MaxEntryBytes);
        context.Response.Body = capture;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode == StatusCodes.Status200OK && !capture.Overflowed && capture.Captured.Length > 0
            && context.Features.Get<IForwarderErrorFeature>() is null && !context.RequestAborted.IsCancellationRequested)
        {
            await cache.SetAsync(key, new CachedResponse(context.Response.ContentType ?? "application/json", capture.Captured.ToArray()));
        }
    }
}
