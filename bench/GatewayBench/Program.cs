// Gateway benchmark: overhead vs direct on a trivial backend, cache-hit latency, and multi-turn latency with
// cache-aware routing vs round-robin on 2 replicas whose latency models a prefix cache.
// `dotnet run -c Release --project bench/GatewayBench [-- --requests N [--warm-up SECONDS]]`; multi-turn TTFT on two real InferenceService
// replicas: `dotnet run -c Release --project bench/GatewayBench -- --real [default|m16|m90] [PAIRS] [THINK_MS]` (from the repository
// root; THINK_MS is the most a simulated user waits before the next turn, 1000 by default: higher values lower the load)
using System.Diagnostics;
using System.Text;
using LlmSuite.GatewayBench;

var requests = args.Length >= 2 && args[0] == "--requests" ? int.Parse(args[1]) : 4000;
var warmUpSeconds = args.Length >= 4 && args[2] == "--warm-up" ? int.Parse(args[3]) : 20;
if (args.Length >= 1 && args[0] == "--real")
{
    // Two real InferenceService replicas (child processes): multi-turn TTFT, cache-aware vs round-robin.
    await RealReplicaBench.RunAsync(args.Length >= 2 ? args[1] : "default", conversations: 5, turns: 10, pairs: args.Length >= 3 ? int.Parse(args[2]) : 3,
        thinkTime: TimeSpan.FromMilliseconds(args.Length >= 4 ? int.Parse(args[3]) : 1000));
    return;
}
var (redisProcess, redis) = Hosts.StartRedis();
try
{
    var (backend, direct) = await Hosts.StartBackendAsync();
    var (gateway, proxied) = await Hosts.StartGatewayAsync([direct], redis, "CacheAware");
    using var http = new HttpClient();

    const string plain = """{"model":"tiny","messages":[{"role":"user","content":"hello"}],"temperature":0.7}""";
    // Steady state first: the gateway's path (YARP, middleware, HttpClient) needs seconds of load before tiered JIT
    // has optimized it; a few hundred requests measure the JIT, not the gateway.
    await Measure.WarmUpAsync(http, [direct, proxied], plain, TimeSpan.FromSeconds(warmUpSeconds));
    Console.WriteLine($"Overhead on a trivial backend (after {warmUpSeconds} s of warm-up; direct and gateway interleaved in rounds):");
    var directRun = new List<double>();
    var proxiedRun = new List<double>();
    for (var round = 0; round < 4; round++)
    {
        directRun.AddRange(await Measure.SequentialAsync(http, direct, plain, requests / 4));
        proxiedRun.AddRange(await Measure.SequentialAsync(http, proxied, plain, requests / 4));
    }
    var (d50, d99) = Measure.Percentiles(directRun);
    var (g50, g99) = Measure.Percentiles(proxiedRun);
    Console.WriteLine($"  1 client : direct p50 {d50:F3} ms p99 {d99:F3} ms; gateway p50 {g50:F3} ms p99 {g99:F3} ms; added p50 {g50 - d50:F3} ms, p99 {g99 - d99:F3} ms; req/s ratio {d50 / g50:F2} (by p50)");
    foreach (var workers in new[] { 1, 8, 32 })
    {
        var ratios = new List<double>();
        var (dr, gr, dc, gc) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var round = 0; round < 3; round++)
        {
            var (directRps, directCpu) = await Measure.ConcurrentAsync(http, direct, plain, requests, workers);
            var (gatewayRps, gatewayCpu) = await Measure.ConcurrentAsync(http, proxied, plain, requests, workers);
            dr.Add(directRps);
            gr.Add(gatewayRps);
            dc.Add(directCpu);
            gc.Add(gatewayCpu);
            ratios.Add(gatewayRps / directRps);
        }
        Console.WriteLine($"  {workers,2} concurrent: direct {Measure.Median(dr):F0} req/s ({Measure.Median(dc):F0} us CPU/req), gateway {Measure.Median(gr):F0} req/s ({Measure.Median(gc):F0} us CPU/req); gateway/direct {Measure.Median(ratios):F2} (median of 3 rounds; CPU is the whole bench process: client + gateway + backend)");
    }

    const string deterministic = """{"model":"tiny","messages":[{"role":"user","content":"cache me"}],"temperature":0}""";
    var (h50, h99) = Measure.Percentiles(await Measure.SequentialAsync(http, proxied, deterministic, requests));
    Console.WriteLine($"Cache hits through the gateway (Redis): p50 {h50:F3} ms, p99 {h99:F3} ms; vs direct backend p50 ratio {h50 / d50:F2}");
    await gateway.StopAsync();
    await backend.StopAsync();

    // Multi-turn: 7 conversations (odd, so round-robin does not stick by accident) × 6 turns, 2 replicas; each replica answers in time ∝ prompt chars it has not seen.
    Console.WriteLine("Multi-turn latency (7 conversations × 6 turns, 2 replicas, simulated prefill 20 ms per 1k uncached chars, one prefill at a time per replica):");
    var results = new Dictionary<string, double>();
    foreach (var policy in new[] { "RoundRobin", "CacheAware" })
    {
        var (r0, a0) = await Hosts.StartBackendAsync(prefillMsPerNewKChar: 20);
        var (r1, a1) = await Hosts.StartBackendAsync(prefillMsPerNewKChar: 20);
        var (g, ga) = await Hosts.StartGatewayAsync([a0, a1], redis: null, policy);
        results[policy] = await Measure.MultiTurnAsync(http, ga, conversations: 7, turns: 6);
        Console.WriteLine($"  {policy,-10}: mean latency {results[policy]:F1} ms");
        await g.StopAsync();
        await r0.StopAsync();
        await r1.StopAsync();
    }
    Console.WriteLine($"  round-robin / cache-aware mean latency: {results["RoundRobin"] / results["CacheAware"]:F2}x");
}
finally
{
    redisProcess.Kill();
}

/// <summary>Latency measurements.</summary>
internal static class Measure
{
    public static async Task WarmUpAsync(HttpClient http, Uri[] targets, string body, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            foreach (var target in targets)
            {
                await ConcurrentAsync(http, target, body, 500, 8);
                await SequentialAsync(http, target, body, 100);
            }
        }
    }

    /// <summary>Latency samples (ms) of <paramref name="count"/> sequential requests.</summary>
    public static async Task<double[]> SequentialAsync(HttpClient http, Uri baseAddress, string body, int count)
    {
        var uri = new Uri(baseAddress, "/v1/chat/completions");
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await PostAsync(http, uri, body);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return samples;
    }

    public static (double P50, double P99) Percentiles(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
    }

    public static double Median(IEnumerable<double> values) => Percentiles(values).P50;

    /// <summary>Requests per second with <paramref name="workers"/> concurrent clients, and process CPU microseconds per request.</summary>
    public static async Task<(double RequestsPerSecond, double CpuMicrosecondsPerRequest)> ConcurrentAsync(HttpClient http, Uri baseAddress, string body, int count, int workers)
    {
        var uri = new Uri(baseAddress, "/v1/chat/completions");
        var next = -1;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                await PostAsync(http, uri, body);
            }
        }));
        var seconds = total.Elapsed.TotalSeconds;
        return (count / seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count);
    }

    public static async Task<double> MultiTurnAsync(HttpClient http, Uri baseAddress, int conversations, int turns)
    {
        var uri = new Uri(baseAddress, "/v1/chat/completions");
        var latencies = new List<double>();
        var history = Enumerable.Range(0, conversations).Select(c => new StringBuilder($"conversation {c}: " + new string((char)('a' + c), 2000))).ToArray();
        for (var turn = 0; turn < turns; turn++)
        {
            // conversations proceed in parallel, turn by turn (like users chatting at the same time)
            var times = await Task.WhenAll(Enumerable.Range(0, conversations).Select(async c =>
            {
                history[c].Append($" | turn {turn}: " + new string('q', 1500));
                var body = System.Text.Json.JsonSerializer.Serialize(new
                {
                    model = "tiny",
                    messages = new[] { new { role = "user", content = history[c].ToString() } },
                });
                var start = Stopwatch.GetTimestamp();
                await PostAsync(http, uri, body);
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }));
            latencies.AddRange(times);
        }
        return latencies.Average();
    }

    private static async Task PostAsync(HttpClient http, Uri uri, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(uri, content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }
}
