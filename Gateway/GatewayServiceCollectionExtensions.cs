using LlmSuite.Gateway;
using LlmSuite.Gateway.Auth;
using LlmSuite.Gateway.Caching;
using LlmSuite.Gateway.LoadBalancing;
using LlmSuite.Gateway.Metrics;
using LlmSuite.Gateway.RateLimiting;
using LlmSuite.Gateway.Redis;
using LlmSuite.Gateway.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gateway: YARP from service discovery, cache-aware balancing, Redis cache, keys and limits.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Adds every gateway service to <paramref name="builder"/>.</summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // Per-request Information logs (YARP's "Proxying to …" / "Received … response"; ASP.NET Core's are quieted by
        // the service defaults) cost more CPU than the proxying itself; the Logging configuration can turn them on.
        builder.QuietFrameworkLogs("Yarp");
        services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.SectionName));
        services.TryAddSingletonTimeProvider();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<IPromptCache, RedisPromptCache>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<RedisRateLimiter>();
        services.AddHostedService<ApiKeyPublisher>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<BackendClient>();
        services.AddSingleton<ServiceDiscoveryProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<ServiceDiscoveryProxyConfigProvider>());
        services.AddHostedService<ModelCatalogPoller>();
        services.AddSingleton(sp => new PrefixIndex(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.LoadBalancing.MaxBlocksPerReplica));
        services.AddSingleton<ILoadBalancingPolicy>(sp => new CacheAwareLoadBalancingPolicy(
            sp.GetRequiredService<IOptionsMonitor<GatewayOptions>>(), sp.GetRequiredService<PrefixIndex>(),
            sp.GetRequiredService<ModelCatalog>(), Random.Shared, sp.GetRequiredService<GatewayMetrics>()));
        services.AddReverseProxy();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
