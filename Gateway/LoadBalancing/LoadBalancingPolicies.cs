namespace LlmSuite.Gateway.LoadBalancing;

/// <summary>Names of the gateway's load-balancing policies (YARP's built-ins keep their own names).</summary>
public static class LoadBalancingPolicies
{
    /// <summary>Prefix/conversation affinity with bounded load (SGLang router's rule).</summary>
    public static string CacheAware => nameof(CacheAware);
}
