using System.Diagnostics.Metrics;

namespace LlmSuite.Engine.Serving;

/// <summary>
/// The engine's instruments on the Meter "LlmSuite.Engine", tagged with model_name; histograms carry vLLM's bucket
/// boundaries as advice. Instrument names are vLLM's with "vllm." for "vllm:" (OpenTelemetry rejects ':' in
/// instrument names); the Prometheus exposition restores <c>vllm:</c> and appends "_total" to counters, so
/// <c>vllm.prompt_tokens</c> is scraped as <c>vllm:prompt_tokens_total</c>, as vLLM's dashboards expect.
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    /// <summary>The meter name services subscribe to.</summary>
    public const string MeterName = "LlmSuite.Engine";

    private static readonly double[] TtftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
    private static readonly double[] ItlBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
    private static readonly double[] E2eBuckets = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _model;
    private readonly Counter<long> _prefixQueries, _prefixHits, _preemptions, _promptTokens, _generationTokens, _success;
    private readonly Histogram<double> _ttft, _itl, _e2e;
    private volatile int _running, _waiting;
    private double _kvUsage;

    /// <summary>Creates the instruments for <paramref name="modelName"/>.</summary>
    public EngineMetrics(string modelName)
    {
        _meter = new Meter(MeterName);
        _model = new KeyValuePair<string, object?>("model_name", modelName);
        _meter.CreateObservableGauge("vllm.num_requests_running", () => new Measurement<int>(_running, _model), description: "Number of sequences running (in the batch).");
        _meter.CreateObservableGauge("vllm.num_requests_waiting", () => new Measurement<int>(_waiting, _model), description: "Number of sequences waiting to be scheduled.");
        _meter.CreateObservableGauge("vllm.kv_cache_usage_perc", () => new Measurement<double>(Volatile.Read(ref _kvUsage), _model), description: "KV cache usage; 1 means 100 percent.");
        _prefixQueries = _meter.CreateCounter<long>("vllm.prefix_cache_queries", "{token}", "Prompt tokens looked up in the prefix cache.");
        _prefixHits = _meter.CreateCounter<long>("vllm.prefix_cache_hits", "{token}", "Prompt tokens found in the prefix cache.");
        _preemptions = _meter.CreateCounter<long>("vllm.num_preemptions", description: "Preemptions (recompute).");
        _promptTokens = _meter.CreateCounter<long>("vllm.prompt_tokens", "{token}", "Prefill tokens processed.");
        _generationTokens = _meter.CreateCounter<long>("vllm.generation_tokens", "{token}", "Generated tokens.");
        _success = _meter.CreateCounter<long>("vllm.request_success", description: "Finished requests by finish reason.");
        _ttft = _meter.CreateHistogram("vllm.time_to_first_token_seconds", "s", "Time to first token.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TtftBuckets });
        _itl = _meter.CreateHistogram("vllm.inter_token_latency_seconds", "s", "Time between tokens of a sample.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ItlBuckets });
        _e2e = _meter.CreateHistogram("vllm:e2e_request_latency_seconds", "s", "Request latency from arrival to finish.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = E2eBuckets });

        // Counters exist from the start at 0, as in vLLM, so dashboards and rate() see every series.
        foreach (var counter in new[] { _prefixQueries, _prefixHits, _preemptions, _promptTokens, _generationTokens })
        {
            counter.Add(0, _model);
        }
        foreach (var reason in new[] { FinishReasons.Stop, FinishReasons.Length, FinishReasons.Abort })
        {
            _success.Add(0, _model, new KeyValuePair<string, object?>("finished_reason", reason));
        }
    }

    internal void SetState(int running, int waiting, double kvUsage)
    {
        _running = running;
        _waiting = waiting;
        Volatile.Write(ref _kvUsage, kvUsage);
    }

    internal void PrefixCache(long queries, long hits)
    {
        if (queries > 0) { _prefixQueries.Add(queries, _model); }
        if (hits > 0) { _prefixHits.Add(hits, _model); }
    }

    internal void Preemptions(long n)
    {
        if (n > 0) { _preemptions.Add(n, _model); }
    }

    internal void PromptTokens(long n)
    {
        if (n > 0) { _promptTokens.Add(n, _model); }
    }

    internal void GenerationTokens(long n)
    {
        if (n > 0) { _generationTokens.Add(n, _model); }
    }

    internal void TimeToFirstToken(double seconds) => _ttft.Record(seconds, _model);

    internal void InterTokenLatency(double seconds) => _itl.Record(seconds, _model);

    internal void RequestFinished(string finishReason, double e2eSeconds)
    {
        _success.Add(1, _model, new KeyValuePair<string, object?>("finished_reason", finishReason));
        _e2e.Record(e2eSeconds, _model);
    }

    /// <summary>Disposes the meter.</summary>
    public void Dispose() => _meter.Dispose();
}
