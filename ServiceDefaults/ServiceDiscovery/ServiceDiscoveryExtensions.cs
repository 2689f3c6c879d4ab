using LlmSuite.ServiceDefaults.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Aspire-convention service discovery (what Microsoft.Extensions.ServiceDiscovery does; not served).</summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers the <see cref="ServiceEndpointResolver"/> singleton.</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.AddSingleton<ServiceEndpointResolver>();
        services.AddTransient<ServiceDiscoveryHandler>();
        return services;
    }

    /// <summary>Resolves logical service URIs for this HttpClient.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
        => builder.AddHttpMessageHandler<ServiceDiscoveryHandler>();
}
