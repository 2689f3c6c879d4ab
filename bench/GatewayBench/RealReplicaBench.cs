using System.Diagnostics;
using System.Globalization;

namespace LlmSuite.GatewayBench;

/// <summary>
/// Multi-turn TTFT on two real InferenceService replicas behind the gateway: round-robin vs cache-aware, alternating
/// runs in one process (fresh gateway per run, distinct prompts per run), with the replicas' prefix-cache hit rate and
/// the gateway's routing decisions as evidence of why.
/// </summary>
internal static class RealReplicaBench
{
    public static async Task RunAsync(string modelKind, int conversations, int turns, int pairs, TimeSpan thinkTime)
    {
        const int SystemWords = 260, UserWords = 24, ReplyTokens = 48;
        var model = InferenceReplicas.ChatModel(modelKind);
        const long KvBytes = 512L * 1024 * 1024;
        await using var replicas = await InferenceReplicas.StartAsync(2, model, KvBytes);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        Console.WriteLine($"Multi-turn TTFT on 2 real InferenceService replicas (model {modelKind}, context 2048, KV {KvBytes >> 20} MiB each, prefix caching on):");
        Console.WriteLine($"  {conversations} concurrent conversations × {turns} turns; system prompt {SystemWords} words, user {UserWords} words, reply {ReplyTokens} tokens (streamed), think time up to {thinkTime.TotalMilliseconds} ms");
        var samples = new Dictionary<string, List<TurnSample>> { ["RoundRobin"] = [], ["CacheAware"] = [] };
        var hits = new Dictionary<string, (double Hits, double Queries)> { ["RoundRobin"] = default, ["CacheAware"] = default };
        var pairMeans = new Dictionary<(int Pair, string Policy), double>();
        var round = 0;
        // pairs alternate which policy goes first, so neither always runs right after the warm-up or after the other
        var order = Enumerable.Range(0, pairs).SelectMany(p => p % 2 == 0 ? new[] { "RoundRobin", "CacheAware" } : ["CacheAware", "RoundRobin"]);
        foreach (var policy in new[] { "warm-up" }.Concat(order))
        {
            var warmUp = policy == "warm-up";
            var placement = new Placement();
            var (gateway, address) = await Hosts.StartGatewayAsync(replicas.Addresses, redis: null, warmUp ? "RoundRobin" : policy, proxied: placement.Record);
            var (hits0, queries0) = await PrefixCacheAsync(http, replicas);
            var (engineTtft0, engineCount0) = await EngineTtftAsync(http, replicas);
            var pair = warmUp ? -1 : (round - 1) / 2;   // both policies of a pair see the same texts and arrival times
            // the warm-up is a full-width run of a few turns, so both replicas' hot paths are compiled before measuring
            var cpu = new CpuMeter();
            var started = Stopwatch.GetTimestamp();
            var run = await MultiTurnChat.RunAsync(http, address, Path.GetFileName(model), conversations, warmUp ? 4 : turns,
                SystemWords, UserWords, ReplyTokens, thinkTime, seed: pair, salt: $"run{round++}");
            var (busy, seconds) = (cpu.Busy(), Stopwatch.GetElapsedTime(started).TotalSeconds);
            var (hits1, queries1) = await PrefixCacheAsync(http, replicas);
            var (engineTtft1, engineCount1) = await EngineTtftAsync(http, replicas);
            var prefixRouted = await InferenceReplicas.ScrapeAsync(http, address, "gateway_routing_decisions", "reason=\"prefix\"");
            var balanced = await InferenceReplicas.ScrapeAsync(http, address, "gateway_routing_decisions", "reason=\"balance\"");
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            var ttft = run.Select(s => s.TtftMs).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {policy,-10}: mean TTFT {ttft.Average(),7:F1} ms, p50 {Median(ttft),7:F1} ms; prompt tokens up to {run.Max(s => s.PromptTokens)}; replica prefix-cache hits {(hits1 - hits0) / Math.Max(1, queries1 - queries0):P0} of prompt tokens; engine-side mean TTFT {(engineTtft1 - engineTtft0) * 1000 / Math.Max(1, engineCount1 - engineCount0):F1} ms; routed by prefix {prefixRouted}, by balance {balanced} of {run.Count}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"              {seconds:F1} s, CPU {busy:P0} busy; replica of each turn: {placement.Describe()}"));
            if (!warmUp)
            {
                pairMeans[(pair, policy)] = ttft.Average();
                samples[policy].AddRange(run);
                hits[policy] = (hits[policy].Hits + hits1 - hits0, hits[policy].Queries + queries1 - queries0);
            }
        }
        var rr = samples["RoundRobin"].Select(s => s.TtftMs).Order().ToArray();
        var ca = samples["CacheAware"].Select(s => s.TtftMs).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  all runs  : round-robin mean {rr.Average():F1} ms / p50 {Median(rr):F1} ms (prefix-cache hits {hits["RoundRobin"].Hits / hits["RoundRobin"].Queries:P0}); cache-aware mean {ca.Average():F1} ms / p50 {Median(ca):F1} ms (hits {hits["CacheAware"].Hits / hits["CacheAware"].Queries:P0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  first turns (cold under both): round-robin mean {FirstTurns(samples["RoundRobin"], true):F1} ms, cache-aware {FirstTurns(samples["CacheAware"], true):F1} ms; later turns: round-robin {FirstTurns(samples["RoundRobin"], false):F1} ms, cache-aware {FirstTurns(samples["CacheAware"], false):F1} ms"));
        var perPair = Enumerable.Range(0, pairs).Select(p => pairMeans[(p, "RoundRobin")] / pairMeans[(p, "CacheAware")]).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  round-robin / cache-aware TTFT: mean {rr.Average() / ca.Average():F2}x, p50 {Median(rr) / Median(ca):F2}x; mean ratio per pair {perPair.Min():F2}x to {perPair.Max():F2}x"));
    }

    /// <summary>Prefix-cache hit and query tokens over both replicas.</summary>
    private static Task<(double Hits, double Queries)> PrefixCacheAsync(HttpClient http, InferenceReplicas replicas)
        => SumPairAsync(http, replicas, "vllm:prefix_cache_hits", "vllm:prefix_cache_queries");

    /// <summary>Sum and count of the replicas' own TTFT histograms (arrival at the engine to the first sampled token).</summary>
    private static Task<(double Seconds, double Count)> EngineTtftAsync(HttpClient http, InferenceReplicas replicas)
        => SumPairAsync(http, replicas, "vllm:time_to_first_token_seconds_sum", "vllm:time_to_first_token_seconds_count");

    private static async Task<(double, double)> SumPairAsync(HttpClient http, InferenceReplicas replicas, string first, string second)
    {
        double a = 0, b = 0;
        foreach (var address in replicas.Addresses)
        {
            a += await InferenceReplicas.ScrapeAsync(http, address, first);
            b += await InferenceReplicas.ScrapeAsync(http, address, second);
        }
        return (a, b);
    }

    private static double Median(double[] sorted) => sorted[sorted.Length / 2];

    private static double FirstTurns(List<TurnSample> samples, bool first) => samples.Where(s => (s.Turn == 0) == first).Average(s => s.TtftMs);
}
