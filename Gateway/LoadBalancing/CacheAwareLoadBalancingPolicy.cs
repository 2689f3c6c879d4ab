using LlmSuite.Gateway.Metrics;
using LlmSuite.Gateway.Models;
using LlmSuite.Gateway.Routing;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace LlmSuite.Gateway.LoadBalancing;

/// <summary>
/// Cache-aware routing after SGLang's router: first restrict to the replicas serving the request's model; when load is
/// imbalanced (max − min outstanding &gt; abs threshold and max &gt; rel threshold × min) pick the least loaded;
/// otherwise pick the replica with the longest recorded prompt prefix if matched/total &gt; cache threshold, else the
/// least loaded (ties: fewest recorded blocks, then random). The chosen replica records the prompt's blocks.
/// </summary>
internal sealed class CacheAwareLoadBalancingPolicy(
    IOptionsMonitor<GatewayOptions> options, PrefixIndex index, ModelCatalog catalog, Random random, GatewayMetrics metrics)
    : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.CacheAware;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var request = context.Features.Get<GatewayRequest>();
        var candidates = catalog.FilterByModel(availableDestinations, request?.Model);
        if (candidates.Count == 0)
        {
            return null;
        }
        var settings = options.CurrentValue.LoadBalancing;
        var blocks = request is null ? [] : PromptBlocks.Hash(request.PromptText, settings.BlockChars, request.ConversationId);
        var (pick, reason) = Choose(candidates, blocks, settings);
        if (blocks.Length > 0)
        {
            index.Insert(pick.DestinationId, blocks);
        }
        metrics.Routed(reason);
        return pick;
    }

    private (DestinationState Pick, string Reason) Choose(IReadOnlyList<DestinationState> candidates, ulong[] blocks, LoadBalancingOptions settings)
    {
        if (candidates.Count == 1)
        {
            return (candidates[0], "single");
        }
        int min = int.MaxValue, max = 0;
        foreach (var d in candidates)
        {
            min = Math.Min(min, d.ConcurrentRequestCount);
            max = Math.Max(max, d.ConcurrentRequestCount);
        }
        if (max - min > settings.BalanceAbsThreshold && max > settings.BalanceRelThreshold * min)
        {
            return (LeastLoaded(candidates), "balance");
        }
        if (blocks.Length > 0)
        {
            DestinationState? best = null;
            var bestMatched = 0;
            foreach (var d in candidates)
            {
                var matched = index.MatchedBlocks(d.DestinationId, blocks);
                if (matched > bestMatched || (matched == bestMatched && best is not null && d.ConcurrentRequestCount < best.ConcurrentRequestCount))
                {
                    best = d;
                    bestMatched = matched;
                }
            }
            if (best is not null && (double)bestMatched / blocks.Length > settings.CacheThreshold)
            {
                return (best, "prefix");
            }
        }
        return (LeastLoaded(candidates), "least_loaded");
    }

    private DestinationState LeastLoaded(IReadOnlyList<DestinationState> candidates)
    {
        DestinationState? best = null;
        var ties = 0;
        foreach (var d in candidates)
        {
            var order = best is null ? -1 : Compare(d, best);
            if (order < 0)
            {
                best = d;
                ties = 1;
            }
            else if (order == 0 && random.Next(++ties) == 0)
            {
                best = d; // reservoir choice among equals
            }
        }
        return best!;
    }

    private int Compare(DestinationState a, DestinationState b)
    {
        var load = a.ConcurrentRequestCount.CompareTo(b.ConcurrentRequestCount);
        return load != 0 ? load : index.Size(a.DestinationId).CompareTo(index.Size(b.DestinationId));
    }
}
