namespace LlmSuite.InferenceService.Generation;

/// <summary>
/// A request the service refuses, with what both dialects need to report it: the HTTP status, a message with the
/// numbers, the offending parameter (OpenAI's <c>param</c>), an error code and, for 429/503, when to retry.
/// </summary>
public sealed class ApiException(int status, string message, string? param = null, string? code = null, TimeSpan? retryAfter = null) : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>The request parameter at fault, as the API spells it (null when none).</summary>
    public string? Param { get; } = param;

    /// <summary>A machine-readable code (<c>context_length_exceeded</c>, <c>model_not_found</c>, ...).</summary>
    public string? Code { get; } = code;

    /// <summary>The Retry-After of a 429/503.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>400 naming a parameter.</summary>
    public static ApiException BadRequest(string message, string? param = null, string? code = null) => new(StatusCodes.Status400BadRequest, message, param, code);

    /// <summary>404 for a model that is not served.</summary>
    public static ApiException ModelNotFound(string? name) =>
        new(StatusCodes.Status404NotFound, $"The model '{name}' does not exist or is not served here; GET /v1/models lists the models.", "model", "model_not_found");
}
