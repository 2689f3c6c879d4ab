using System.Text.Json;

namespace LlmSuite.InferenceService.Streaming;

/// <summary>
/// Server-sent events in OpenAI's exact format: one <c>data: {json}\n\n</c> per chunk, flushed as it is produced, then
/// <c>data: [DONE]\n\n</c>. The producer sees the request's abort token, so a disconnect cancels the generation.
/// </summary>
public sealed class SseStreamResult(Func<CancellationToken, IAsyncEnumerable<object>> chunks, JsonSerializerOptions json) : IResult
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] Separator = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var aborted = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(aborted);
        try
        {
            await foreach (var chunk in chunks(aborted).WithCancellation(aborted))
            {
                await response.Body.WriteAsync(Prefix, aborted);
                await JsonSerializer.SerializeAsync(response.Body, chunk, chunk.GetType(), json, aborted);
                await response.Body.WriteAsync(Separator, aborted);
                await response.Body.FlushAsync(aborted);
            }
            await response.Body.WriteAsync(Done, aborted);
            await response.Body.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // the client went away; the generation was aborted through the same token
        }
    }
}
