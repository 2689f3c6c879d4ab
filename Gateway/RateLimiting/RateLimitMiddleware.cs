using System.Globalization;
using LlmSuite.Gateway.Auth;
using LlmSuite.Gateway.Caching;
using LlmSuite.Gateway.Metrics;
using LlmSuite.Gateway.Models;

namespace LlmSuite.Gateway.RateLimiting;

/// <summary>
/// Applies the key's limits to the generation paths: 429 with <c>Retry-After</c> and <c>x-ratelimit-*</c> headers
/// (OpenAI's names), or 503 when Redis is down and limits fail closed. After the response, records token usage;
/// a prompt-cache hit counts as a request but adds no tokens (it cost no compute), and is still answered when only
/// the token budget is spent (<see cref="CacheOnlyFeature"/>).
/// </summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, RedisRateLimiter limiter, GatewayMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var identity = context.Features.Get<ApiKeyIdentity>();
        if (identity is null || identity == ApiKeyIdentity.Anonymous || !GatewayPaths.IsGeneration(context.Request.Path))
        {
            await next(context);
            return;
        }
        var decision = await limiter.CheckAsync(identity);
        WriteHeaders(context.Response, decision);
        if (!decision.Allowed)
        {
            if (!decision.Checked)
            {
                metrics.RateLimited();
                await OpenAiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                    "Rate limits cannot be checked (Redis unavailable) and are configured to fail closed.", "server_error", "rate_limit_unavailable");
                return;
            }
            if (decision.TokensOnly)
            {
                // the token budget is spent but not the request budget: a prompt-cache hit (no tokens) is still answered
                // (a refused request is uncounted before its 429 is written, so the client's next request sees it)
                var cacheOnly = new CacheOnlyFeature(async c =>
                {
                    await limiter.ReleaseRequestAsync(identity);
                    await RejectAsync(c, decision);
                });
                context.Features.Set(cacheOnly);
                await next(context);
                if (!cacheOnly.Rejected && context.Response.Headers[PromptCacheMiddleware.Header] == "hit")
                {
                    await limiter.RecordUsageAsync(identity, 0, 0);
                }
                return;
            }
            await RejectAsync(context, decision);
            return;
        }
        var original = context.Response.Body;
        var capture = new CaptureStream(original, 4 * 1024 * 1024);
        context.Response.Body = capture;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode != StatusCodes.Status200OK || capture.Overflowed)
        {
            return;
        }
        if (context.Response.Headers[PromptCacheMiddleware.Header] == "hit")
        {
            // A cache hit cost no compute: it counts as a request (counted above) but adds no tokens.
            await limiter.RecordUsageAsync(identity, 0, 0);
            return;
        }
        var (prompt, completion) = UsageReader.Read(capture.Captured.Span, context.Response.ContentType);
        await limiter.RecordUsageAsync(identity, prompt, completion);
    }

    private Task RejectAsync(HttpContext context, RateLimitDecision decision)
    {
        metrics.RateLimited();
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(decision.Reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return OpenAiError.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"Rate limit reached for this API key: {decision.RequestLimit} requests/min, {decision.TokenLimit} tokens/min.",
            decision.TokensOnly ? "tokens" : "requests", "rate_limit_exceeded");
    }

    private static void WriteHeaders(HttpResponse response, RateLimitDecision d)
    {
        var reset = $"{Math.Max(1, (int)Math.Ceiling(d.Reset.TotalSeconds))}s";
        if (d.RequestLimit > 0)
        {
            response.Headers["x-ratelimit-limit-requests"] = d.RequestLimit.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-requests"] = d.RequestsRemaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-requests"] = reset;
        }
        if (d.TokenLimit > 0)
        {
            response.Headers["x-ratelimit-limit-tokens"] = d.TokenLimit.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining-tokens"] = d.TokensRemaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset-tokens"] = reset;
        }
    }
}
