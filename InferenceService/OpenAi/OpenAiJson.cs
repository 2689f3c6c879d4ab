using System.Text.Json;
using System.Text.Json.Serialization;
using LlmSuite.InferenceService.Generation;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>JSON as the OpenAI API writes it (snake_case) and the request reader that turns bad bodies into 400s naming the field.</summary>
public static class OpenAiJson
{
    /// <summary>snake_case properties, strict numbers, unknown fields ignored (like OpenAI).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>
    /// Reads the body as <typeparamref name="T"/>. Malformed JSON or a wrong type → 400 naming the JSON path; a body over
    /// the size limit → 413.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpContext http, JsonSerializerOptions? options = null) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options ?? Options, http.RequestAborted)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            var param = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            var what = param is null ? "The request body is not valid JSON" : $"Invalid value for '{param}'";
            var detail = e.Message.Split(" Path:", 2)[0];
            throw ApiException.BadRequest($"{what}: {detail}", param, param is null ? "invalid_json" : "invalid_type");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit: {e.Message}", null, "request_too_large");
        }
    }
}
