using System.Text.Json;

namespace LlmSuite.InferenceService.Streaming;

/// <summary>Newline-delimited JSON, as Ollama streams: one object per line, flushed as produced.</summary>
public sealed class NdjsonStreamResult(Func<CancellationToken, IAsyncEnumerable<object>> lines, JsonSerializerOptions json) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var aborted = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/x-ndjson";
        httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(aborted);
        try
        {
            await foreach (var line in lines(aborted).WithCancellation(aborted))
            {
                await JsonSerializer.SerializeAsync(response.Body, line, line.GetType(), json, aborted);
                await response.Body.WriteAsync("\n"u8.ToArray(), aborted);
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
    }
}
