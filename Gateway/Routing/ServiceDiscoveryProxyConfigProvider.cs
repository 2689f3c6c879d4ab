using LlmSuite.Gateway.LoadBalancing;
using LlmSuite.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace LlmSuite.Gateway.Routing;

/// <summary>
/// YARP routes and clusters from service discovery: cluster <c>inference</c> from <c>services:inference:http:*</c>
/// (or https), cluster <c>embedding</c> from <c>services:embedding:http:*</c>. Embedding paths go to the embedding
/// cluster when it has replicas, else to inference. Rebuilt when configuration reloads.
/// </summary>
internal sealed class ServiceDiscoveryProxyConfigProvider(
    IConfiguration configuration, ServiceEndpointResolver resolver, IOptionsMonitor<GatewayOptions> options) : IProxyConfigProvider
{
    /// <summary>Cluster id of the inference replicas.</summary>
    public const string InferenceCluster = "inference";

    /// <summary>Cluster id of the embedding replicas.</summary>
    public const string EmbeddingCluster = "embedding";

    private static readonly string[] InferencePaths =
        ["/v1/chat/completions", "/v1/completions", "/tokenize", "/detokenize", "/api/{**rest}"];

    private static readonly string[] EmbeddingPaths = ["/v1/embeddings", "/api/embed", "/api/embeddings"];

    public IProxyConfig GetConfig()
    {
        var settings = options.CurrentValue;
        var inference = Destinations(InferenceCluster);
        var embedding = Destinations(EmbeddingCluster);
        var clusters = new List<ClusterConfig> { Cluster(InferenceCluster, inference, settings) };
        if (embedding.Count > 0)
        {
            clusters.Add(Cluster(EmbeddingCluster, embedding, settings));
        }
        var routes = new List<RouteConfig>();
        foreach (var path in InferencePaths)
        {
            routes.Add(Route(path, InferenceCluster));
        }
        foreach (var path in EmbeddingPaths)
        {
            routes.Add(Route(path, embedding.Count > 0 ? EmbeddingCluster : InferenceCluster));
        }
        return new Config(routes, clusters, configuration.GetReloadToken());
    }

    /// <summary>The discovered destination addresses of <paramref name="service"/>, keyed <c>{service}-{index}</c>.</summary>
    public IReadOnlyDictionary<string, DestinationConfig> Destinations(string service)
    {
        var endpoints = resolver.Resolve(service, "http", "https");
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < endpoints.Count; i++)
        {
            destinations[$"{service}-{i}"] = new DestinationConfig { Address = endpoints[i].ToString() };
        }
        return destinations;
    }

    private static RouteConfig Route(string path, string cluster) => new()
    {
        RouteId = $"{cluster}:{path}",
        ClusterId = cluster,
        Order = 100, // after the gateway's own endpoints (/v1/models, /api/tags)
        Match = new RouteMatch { Path = path },
    };

    private static ClusterConfig Cluster(string id, IReadOnlyDictionary<string, DestinationConfig> destinations, GatewayOptions settings) => new()
    {
        ClusterId = id,
        Destinations = destinations,
        LoadBalancingPolicy = settings.LoadBalancing.Policy,
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = settings.HealthCheckInterval,
                Timeout = TimeSpan.FromSeconds(5),
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/health",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                ReactivationPeriod = settings.PassiveReactivationPeriod,
            },
        },
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) },
    };

    private sealed class Config(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, IChangeToken changeToken) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes => routes;
        public IReadOnlyList<ClusterConfig> Clusters => clusters;
        public IChangeToken ChangeToken => changeToken;
    }
}
