using System.Globalization;
using System.Text.Json;
using LlmSuite.InferenceService.Generation;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>The error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiError(OpenAiErrorDetail Error);

/// <summary>One error.</summary>
public sealed record OpenAiErrorDetail(string Message, string Type, string? Param, string? Code);

/// <summary>An <see cref="ApiException"/> written as OpenAI writes errors, with Retry-After for 429/503.</summary>
public sealed class OpenAiErrorResult(ApiException error) : IResult
{
    /// <summary>The error.</summary>
    public ApiException Error { get; } = error;

    /// <summary>The OpenAI error type of a status.</summary>
    public static string TypeOf(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        StatusCodes.Status503ServiceUnavailable => "service_unavailable_error",
        >= 500 => "server_error",
        StatusCodes.Status404NotFound => "invalid_request_error",
        _ => "invalid_request_error",
    };

    /// <summary>The body of an error.</summary>
    public static OpenAiError Body(ApiException e) => new(new OpenAiErrorDetail(e.Message, TypeOf(e.Status), e.Param, e.Code));

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Error.Status;
        if (Error.RetryAfter is { } retry)
        {
            response.Headers.RetryAfter = Math.Ceiling(retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, Body(Error), OpenAiJson.Options, httpContext.RequestAborted);
    }
}
