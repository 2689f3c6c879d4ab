using System.Net;
using Polly;
using Polly.Timeout;

namespace LlmSuite.ServiceDefaults.Resilience;

/// <summary>What counts as transient (worth a retry and counted by the breaker): network errors, timeouts, 408, 429, 5xx.</summary>
public static class TransientFailure
{
    /// <summary>True for a transient outcome.</summary>
    public static bool Is(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Exception: OperationCanceledException } => false,
        { Result: { } response } => Is(response.StatusCode),
        _ => false,
    };

    /// <summary>True for 408, 429 and every 5xx.</summary>
    public static bool Is(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
