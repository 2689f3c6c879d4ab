namespace LlmSuite.ServiceDefaults.RequestIds;

/// <summary>Forwards <see cref="RequestId.Current"/> as <c>x-request-id</c> on outgoing HttpClient calls.</summary>
public sealed class RequestIdHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (RequestId.Current is { } id && !request.Headers.Contains(RequestId.HeaderName))
        {
            request.Headers.TryAddWithoutValidation(RequestId.HeaderName, id);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
