// Gateway benchmark: overhead vs direct on a trivial backend, cache-hit latency, and multi-turn latency with
// cache-aware routing vs round-robin on 2 replicas whose latency models a prefix cache.
// `dotnet run -c Release --project bench/GatewayBench [-- --requests N]`
using System.Diagnostics;
using System.Text;
using LlmSuite.GatewayBench;

var requests = args.Length >= 2 && args[0] == "--requests" ? int.Parse(args[1]) : 3000;
if (args.Length >= 2 && args[0] == "--replicas")
{
    // Real replicas (e.g. two InferenceService processes): time to first streamed token, cache-aware vs round-robin.
    var urls = args[1].Split(',').Select(u => new Uri(u)).ToArray();
    var model = args.Length >= 4 && args[2] == "--model" ? args[3] : "default";
    using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
    var ttft = new Dictionary<string, double>();
    var round = 0;
    const int pairs = 3;
    foreach (var policy in new[] { "warm-up" }.Concat(Enumerable.Repeat(new[] { "RoundRobin", "CacheAware" }, pairs).SelectMany(p => p)))
    {
        var (g, ga) = await Hosts.StartGatewayAsync(urls, redis: null, policy == "warm-up" ? "RoundRobin" : policy);
        var mean = await Measure.MultiTurnTtftAsync(client, ga, model, conversations: 3, turns: 4, salt: $"run{round++}");
        if (policy != "warm-up")
        {
            ttft[policy] = ttft.GetValueOrDefault(policy) + mean / pairs;
        }
        Console.WriteLine($"  {policy,-10}: mean TTFT {mean:F1} ms");
        await g.StopAsync();
    }
    Console.WriteLine($"  round-robin / cache-aware mean TTFT: {ttft["RoundRobin"] / ttft["CacheAware"]:F2}x");
    return;
}
var (redisProcess, redis) = Hosts.StartRedis();
try
{
    var (backend, direct) = await Hosts.StartBackendAsync();
    var (gateway, proxied) = await Hosts.StartGatewayAsync([direct], redis, "CacheAware");
    using var http = new HttpClient();

    const string plain = """{"model":"tiny","messages":[{"role":"user","content":"hello"}],"temperature":0.7}""";
    Console.WriteLine($"Overhead on a trivial backend ({requests} sequential requests each, after warm-up):");
    var directRun = await Measure.SequentialAsync(http, direct, plain, requests);
    var proxiedRun = await Measure.SequentialAsync(http, proxied, plain, requests);
    Console.WriteLine($"  direct : {directRun}");
    Console.WriteLine($"  gateway: {proxiedRun}");
    Console.WriteLine($"  added p50 {proxiedRun.P50 - directRun.P50:F3} ms, p99 {proxiedRun.P99 - directRun.P99:F3} ms; req/s ratio gateway/direct {proxiedRun.RequestsPerSecond / directRun.RequestsPerSecond:F2}");
    var concurrentDirect = await Measure.ConcurrentAsync(http, direct, plain, requests, 8);
    var concurrentProxied = await Measure.ConcurrentAsync(http, proxied, plain, requests, 8);
    Console.WriteLine($"  8 concurrent: direct {concurrentDirect:F0} req/s, gateway {concurrentProxied:F0} req/s (ratio {concurrentProxied / concurrentDirect:F2})");

    const string deterministic = """{"model":"tiny","messages":[{"role":"user","content":"cache me"}],"temperature":0}""";
    var hits = await Measure.SequentialAsync(http, proxied, deterministic, requests);
    Console.WriteLine($"Cache hits through the gateway (Redis): {hits}; vs direct backend p50 ratio {hits.P50 / directRun.P50:F2}");
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
    public sealed record Run(double P50, double P99, double RequestsPerSecond)
    {
        public override string ToString() => $"p50 {P50:F3} ms, p99 {P99:F3} ms, {RequestsPerSecond:F0} req/s";
    }

    public static async Task<Run> SequentialAsync(HttpClient http, Uri baseAddress, string body, int count)
    {
        var uri = new Uri(baseAddress, "/v1/chat/completions");
        for (var i = 0; i < 200; i++)
        {
            await PostAsync(http, uri, body);
        }
        var samples = new double[count];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await PostAsync(http, uri, body);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var seconds = total.Elapsed.TotalSeconds;
        Array.Sort(samples);
        return new Run(samples[count / 2], samples[(int)(count * 0.99)], count / seconds);
    }

    public static async Task<double> ConcurrentAsync(HttpClient http, Uri baseAddress, string body, int count, int workers)
    {
        var uri = new Uri(baseAddress, "/v1/chat/completions");
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                await PostAsync(http, uri, body);
            }
        }));
        return count / total.Elapsed.TotalSeconds;
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

    public static async Task<double> MultiTurnTtftAsync(HttpClient http, Uri baseAddress, string model, int conversations, int turns, string salt)
    {
        var uri = new Uri(baseAddress, "/v1/chat/completions");
        var latencies = new List<double>();
        var history = Enumerable.Range(0, conversations)
            .Select(c => new List<object> { new { role = "system", content = $"{salt} conversation {c}. " + string.Concat(Enumerable.Repeat($"Background fact number {c} is important. ", 12)) } })
            .ToArray();
        for (var turn = 0; turn < turns; turn++)
        {
            var times = await Task.WhenAll(Enumerable.Range(0, conversations).Select(async c =>
            {
                history[c].Add(new { role = "user", content = $"Turn {turn}: " + string.Concat(Enumerable.Repeat("tell me more about it please. ", 4)) });
                var body = System.Text.Json.JsonSerializer.Serialize(new { model, messages = history[c], stream = true, max_tokens = 8, temperature = 0.5 });
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                var start = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                double first = -1;
                var answer = new StringBuilder();
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("data: {", StringComparison.Ordinal) && line.Contains("\"content\"", StringComparison.Ordinal) && first < 0)
                    {
                        first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    }
                    answer.Append(line.Length > 0 ? "." : "");
                }
                history[c].Add(new { role = "assistant", content = $"answer {turn}" });
                return first < 0 ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : first;
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
