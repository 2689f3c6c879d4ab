using Microsoft.Extensions.Options;

namespace LlmSuite.Gateway.Models;

/// <summary>
/// Buffers a JSON POST body (rewound for the proxy, and for a retry), parses it into a <see cref="GatewayRequest"/>
/// feature. Requests that are not JSON or larger than <see cref="GatewayOptions.MaxParsedBodyBytes"/> pass untouched.
/// </summary>
internal sealed class RequestParsingMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    /// <summary>Header carrying a conversation id for affinity.</summary>
    public const string ConversationHeader = "x-conversation-id";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && GatewayPaths.IsApi(request.Path)
            && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            && (request.ContentLength is null || request.ContentLength <= options.Value.MaxParsedBodyBytes))
        {
            request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: options.Value.MaxParsedBodyBytes);
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, context.RequestAborted);
            request.Body.Position = 0;
            var parsed = RequestParser.Parse(request.Path.Value!, copy.GetBuffer().AsMemory(0, (int)copy.Length),
                request.Headers[ConversationHeader].ToString());
            if (parsed is not null)
            {
                context.Features.Set(parsed);
            }
        }
        await next(context);
    }
}
