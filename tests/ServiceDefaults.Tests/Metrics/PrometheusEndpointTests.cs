using System.Diagnostics.Metrics;
using LlmSuite.ServiceDefaults.Metrics;
using LlmSuite.ServiceDefaults.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmSuite.ServiceDefaults.Tests.Metrics;

public class PrometheusEndpointTests
{
    [Fact]
    public async Task Metrics_CountersGaugesHistograms_ExposedWithValuesAndBuckets()
    {
        var meterName = "LlmSuite.Test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var requests = meter.CreateCounter<long>("test.requests", unit: "{request}", description: "Requests served.");
        var running = meter.CreateUpDownCounter<int>("vllm:num_requests_running", description: "Running now.");
        var latency = meter.CreateHistogram<double>("test.latency", unit: "s", description: "Latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        var queue = 7;
        meter.CreateObservableGauge("test.queue.depth", () => queue, description: "Queued.");
        var gauge = meter.CreateGauge<double>("test.temperature");

        await using var app = await TestWebApp.StartAsync();
        requests.Add(3, new KeyValuePair<string, object?>("model_name", "tiny \"chat\""));
        requests.Add(2, new KeyValuePair<string, object?>("model_name", "tiny \"chat\""));
        requests.Add(1, new KeyValuePair<string, object?>("model_name", "other"));
        running.Add(4);
        running.Add(-1);
        latency.Record(0.05);
        latency.Record(0.5);
        latency.Record(5);
        latency.Record(50);
        gauge.Record(21.5);

        using var client = app.CreateClient();
        using var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();

        var (samples, types) = PrometheusText.Parse(text);
        double Value(string name, string? label = null) => samples.Single(s => s.Name == name && (label is null || s.Labels.GetValueOrDefault("model_name") == label || s.Labels.GetValueOrDefault("le") == label)).Value;

        Assert.Equal("counter", types["test_requests_total"]);
        Assert.Equal(5, Value("test_requests_total", "tiny \"chat\""));
        Assert.Equal(1, Value("test_requests_total", "other"));
        Assert.Equal("gauge", types["vllm:num_requests_running"]);
        Assert.Equal(3, Value("vllm:num_requests_running"));
        Assert.Equal("histogram", types["test_latency_seconds"]);
        Assert.Equal(1, Value("test_latency_seconds_bucket", "0.1"));
        Assert.Equal(2, Value("test_latency_seconds_bucket", "1"));
        Assert.Equal(3, Value("test_latency_seconds_bucket", "10"));
        Assert.Equal(4, Value("test_latency_seconds_bucket", "+Inf"));
        Assert.Equal(4, Value("test_latency_seconds_count"));
        Assert.Equal(55.55, Value("test_latency_seconds_sum"), 6);
        Assert.Equal(7, Value("test_queue_depth"));
        queue = 9;
        Assert.Equal(21.5, Value("test_temperature"));

        var again = PrometheusText.Parse(await client.GetStringAsync("/metrics")).Samples;
        Assert.Equal(9, again.Single(s => s.Name == "test_queue_depth").Value);
    }

    [Fact]
    public async Task Metrics_WholeExposition_PassesPromtool()
    {
        await using var app = await TestWebApp.StartAsync(configureApp: a => a.MapGet("/hello", () => "hi"));
        using var meter = new Meter("LlmSuite.Test." + Guid.NewGuid().ToString("N"));
        meter.CreateCounter<long>("vllm:prompt_tokens", description: "Prompt tokens.").Add(12, new KeyValuePair<string, object?>("model_name", "m"));
        meter.CreateHistogram<double>("vllm:time_to_first_token_seconds", unit: "s").Record(0.2);
        using var client = app.CreateClient();
        Assert.Equal("hi", await client.GetStringAsync("/hello"));
        var text = await client.GetStringAsync("/metrics");

        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Contains("vllm:prompt_tokens_total{model_name=\"m\"} 12", text);
        // promtool exits 1 on a parse error and 3 on lint findings. Two lint rules are broken on purpose: vLLM's
        // metric names contain ':' (dashboards depend on them) and .NET runtime gauges such as dotnet.assembly.count
        // end in "_count". Anything else is a defect.
        var (exitCode, output) = await PrometheusText.PromtoolCheckAsync(text);
        Assert.True(exitCode is 0 or 3, $"promtool could not parse /metrics ({exitCode}):\n{output}\n---\n{text}");
        var unexpected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.Contains("metric names should not contain ':'") && !l.Contains("should not have \"_count\" suffix"))
            .ToList();
        Assert.True(unexpected.Count == 0, "promtool lint findings:\n" + string.Join('\n', unexpected));
    }
}
