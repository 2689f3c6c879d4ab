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
/// least loaded (ties: longest recorded prefix, fewest recorded blocks, then random). The chosen replica records the prompt's blocks.
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
        Span<int> matched = candidates.Count <= 64 ? stackalloc int[candidates.Count] : new int[candidates.Count];
        var best = -1;
        for (var i = 0; i < candidates.Count; i++)
        {
            var load = candidates[i].ConcurrentRequestCount;
            min = Math.Min(min, load);
            max = Math.Max(max, load);
            matched[i] = blocks.Length == 0 ? 0 : index.MatchedBlocks(candidates[i].DestinationId, blocks);
            if (matched[i] > 0 && (best < 0 || matched[i] > matched[best]
                || (matched[i] == matched[best] && load < candidates[best].ConcurrentRequestCount)))
            {
                best = i;
            }
        }
        if (max - min > settings.BalanceAbsThreshold && max > settings.BalanceRelThreshold * min)
        {
            return (LeastLoaded(candidates, matched), "balance");
        }
        if (best >= 0 && (double)matched[best] / blocks.Length > settings.CacheThreshold)
        {
            return (candidates[best], "prefix");
        }
        return (LeastLoaded(candidates, matched), "least_loaded");
    }

    /// <summary>Least outstanding requests; ties: longest recorded prefix, then fewest recorded blocks, then random.</summary>
    private DestinationState LeastLoaded(IReadOnlyList<DestinationState> candidates, ReadOnlySpan<int> matched)
    {
        var best = -1;
        var ties = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var order = best < 0 ? -1 : Compare(candidates[i], matched[i], candidates[best], matched[best]);
            if (order < 0)
            {
                best = i;
                ties = 1;
            }
            else if (order == 0 && random.Next(++ties) == 0)
            {
                best = i; // reservoir choice among equals
            }
        }
        return candidates[best];
    }

    private int Compare(DestinationState a, int matchedA, DestinationState b, int matchedB)
    {
        var load = a.ConcurrentRequestCount.CompareTo(b.ConcurrentRequestCount);
        if (load != 0)
        {
            return load;
        }
        var match = matchedB.CompareTo(matchedA);
        return match != 0 ? match : index.Size(a.DestinationId).CompareTo(index.Size(b.DestinationId));
    }
}
