using LlmSuite.Gateway.Models;

namespace LlmSuite.Gateway.Auth;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;key&gt;</c> (or <c>x-api-key</c>) on the API paths when auth is on; 401 in
/// OpenAI's error format otherwise. The key header is removed before forwarding. Sets an <see cref="ApiKeyIdentity"/>.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore store, bool enabled)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!GatewayPaths.IsApi(context.Request.Path))
        {
            await next(context);
            return;
        }
        if (!enabled)
        {
            context.Features.Set(ApiKeyIdentity.Anonymous);
            await next(context);
            return;
        }
        var key = PresentedKey(context.Request);
        var identity = key is null ? null : await store.FindAsync(key);
        if (identity is null)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status401Unauthorized,
                key is null ? "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'." : "Incorrect API key provided.",
                "invalid_request_error", "invalid_api_key");
            return;
        }
        context.Request.Headers.Authorization = default;
        context.Request.Headers.Remove("x-api-key");
        context.Features.Set(identity);
        await next(context);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var key = authorization["Bearer ".Length..].Trim();
            return key.Length > 0 ? key : null;
        }
        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }
}
