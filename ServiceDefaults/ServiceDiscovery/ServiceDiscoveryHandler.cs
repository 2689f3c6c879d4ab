namespace LlmSuite.ServiceDefaults.ServiceDiscovery;

/// <summary>Resolves <c>http://name</c> request URIs through <see cref="ServiceEndpointResolver"/> before sending.</summary>
public sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && resolver.Next(uri) is { } resolved)
        {
            request.RequestUri = resolved;
        }
        else if (request.RequestUri is { IsAbsoluteUri: true } bad && bad.Scheme.Contains('+'))
        {
            throw new InvalidOperationException(
                $"No endpoint is configured for service '{bad.Host}' (expected configuration 'services__{bad.Host}__http__0').");
        }
        return base.SendAsync(request, cancellationToken);
    }
}
