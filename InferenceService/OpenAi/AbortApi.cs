using LlmSuite.InferenceService.Generation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSuite.InferenceService.OpenAi;

public static partial class OpenAiApi
{
    /// <summary>
    /// DELETE /v1/requests/{requestId}: aborts the generation(s) of a request by its x-request-id (the handle the gateway
    /// and UI already carry), e.g. when a user presses stop on a connection that stays open. 404 when none is in flight.
    /// </summary>
    public static Results<NoContent, OpenAiErrorResult> AbortRequest(string requestId, [AsParameters] InferenceServices services) =>
        services.Generator.Abort(requestId) > 0
            ? TypedResults.NoContent()
            : new OpenAiErrorResult(new ApiException(StatusCodes.Status404NotFound, $"No request with x-request-id '{requestId}' is in flight.", "request_id", "request_not_found"));
}
