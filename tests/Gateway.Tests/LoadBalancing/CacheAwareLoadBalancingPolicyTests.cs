using System.Text;
using LlmSuite.Gateway.LoadBalancing;
using LlmSuite.Gateway.Metrics;
using LlmSuite.Gateway.Models;
using LlmSuite.Gateway.Routing;
using LlmSuite.Gateway.Tests.TestHost;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace LlmSuite.Gateway.Tests.LoadBalancing;

public sealed class CacheAwareLoadBalancingPolicyTests
{
    private static readonly string System = "You are a helpful assistant. " + new string('x', 300);

    private static (CacheAwareLoadBalancingPolicy Policy, DestinationState[] Replicas) Create(int replicas = 2, LoadBalancingOptions? settings = null)
    {
        var options = new GatewayOptions { LoadBalancing = settings ?? new LoadBalancingOptions() };
        var monitor = new StaticMonitor(options);
        var policy = new CacheAwareLoadBalancingPolicy(monitor, new PrefixIndex(TimeProvider.System, 10_000), new ModelCatalog(),
            new Random(42), new GatewayMetrics());
        return (policy, [.. Enumerable.Range(0, replicas).Select(i => new DestinationState($"r{i}"))]);
    }

    private static HttpContext Request(string prompt, string? conversation = null)
    {
        var context = new DefaultHttpContext();
        context.Features.Set(new GatewayRequest { PromptText = prompt, ConversationId = conversation });
        return context;
    }

    private static string Conversation(string name, int turns)
        => System + string.Concat(Enumerable.Range(0, turns).Select(t => $"|user {name} turn {t} with some words|assistant reply {t}"));

    [Fact]
    public void PickDestination_MultiTurnConversation_SticksToOneReplica()
    {
        var (policy, replicas) = Create();
        var cluster = new ClusterState("inference");
        var first = policy.PickDestination(Request(Conversation("a", 1)), cluster, replicas);
        for (var turn = 2; turn <= 8; turn++)
        {
            Assert.Same(first, policy.PickDestination(Request(Conversation("a", turn)), cluster, replicas));
        }
    }

    [Fact]
    public void PickDestination_TwoConversationsUnderLoad_SpreadAcrossReplicas()
    {
        var (policy, replicas) = Create(settings: new LoadBalancingOptions { BalanceAbsThreshold = 0, BalanceRelThreshold = 1.0 });
        var cluster = new ClusterState("inference");
        // Conversation a is in flight on its replica when conversation b starts: b goes to the idle replica.
        var a = policy.PickDestination(Request("conversation a: " + new string('a', 300)), cluster, replicas)!;
        a.ConcurrentRequestCount = 1;
        var b = policy.PickDestination(Request("conversation b: " + new string('b', 300)), cluster, replicas)!;
        Assert.NotSame(a, b);
        a.ConcurrentRequestCount = 0;
        for (var turn = 0; turn < 4; turn++)
        {
            Assert.Same(a, policy.PickDestination(Request("conversation a: " + new string('a', 300) + turn), cluster, replicas));
            Assert.Same(b, policy.PickDestination(Request("conversation b: " + new string('b', 300) + turn), cluster, replicas));
        }
    }

    [Fact]
    public void PickDestination_SkewedLoad_MovesTrafficToLeastLoaded()
    {
        var (policy, replicas) = Create(settings: new LoadBalancingOptions { BalanceAbsThreshold = 2, BalanceRelThreshold = 1.5 });
        var cluster = new ClusterState("inference");
        var home = policy.PickDestination(Request(Conversation("a", 1)), cluster, replicas)!;
        var other = replicas.Single(r => r != home);
        home.ConcurrentRequestCount = 2; // within the bound: affinity holds
        Assert.Same(home, policy.PickDestination(Request(Conversation("a", 2)), cluster, replicas));
        home.ConcurrentRequestCount = 3; // 3 - 0 > 2 and 3 > 1.5 × 0: balance first
        Assert.Same(other, policy.PickDestination(Request(Conversation("a", 3)), cluster, replicas));
    }

    [Fact]
    public void PickDestination_ConversationHeader_SticksEvenWhenPromptChanges()
    {
        var (policy, replicas) = Create();
        var cluster = new ClusterState("inference");
        var first = policy.PickDestination(Request("first", "conv-1"), cluster, replicas);
        Assert.Same(first, policy.PickDestination(Request("completely different", "conv-1"), cluster, replicas));
    }

    [Fact]
    public void PickDestination_ParsedChatBodiesGrowingTurnByTurn_EachTurnGoesToThePreviousTurnsReplica()
    {
        var (policy, replicas) = Create();
        var cluster = new ClusterState("inference");
        var homes = new Dictionary<string, DestinationState>();
        string[] conversations = ["a", "b"];
        for (var turn = 1; turn <= 8; turn++)
        {
            foreach (var name in conversations)
            {
                // The real request bodies: system prompt, then user/assistant turns; each turn extends the previous one.
                var users = Enumerable.Range(0, turn).Select(t => $"conversation {name} question {t}").ToArray();
                var body = Chat.Body($"System prompt of {name}. " + new string('s', 400), "m", true, 0.7, users);
                body.Remove("model"); // the test's destinations have no model catalog
                var json = Encoding.UTF8.GetBytes(body.ToJsonString());
                var context = new DefaultHttpContext();
                context.Features.Set(RequestParser.Parse("/v1/chat/completions", json, null)!);
                var pick = policy.PickDestination(context, cluster, replicas)!;
                if (homes.TryGetValue(name, out var home))
                {
                    Assert.Same(home, pick);
                }
                else
                {
                    homes[name] = pick;
                    pick.ConcurrentRequestCount++; // a is in flight when b starts: b goes to the other replica
                }
            }
        }
        Assert.NotSame(homes["a"], homes["b"]);
    }

    [Fact]
    public void PickDestination_NoPromptEqualLoad_UsesBothReplicas()
    {
        var (policy, replicas) = Create();
        var cluster = new ClusterState("inference");
        var picks = Enumerable.Range(0, 40).Select(_ => policy.PickDestination(new DefaultHttpContext(), cluster, replicas)!.DestinationId).ToList();
        Assert.Equal(2, picks.Distinct().Count());
    }

    [Fact]
    public void PickDestination_NoDestinations_ReturnsNull()
    {
        var (policy, _) = Create();
        Assert.Null(policy.PickDestination(Request("x"), new ClusterState("inference"), []));
    }

    private sealed class StaticMonitor(GatewayOptions value) : IOptionsMonitor<GatewayOptions>
    {
        public GatewayOptions CurrentValue => value;
        public GatewayOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<GatewayOptions, string?> listener) => null;
    }
}
