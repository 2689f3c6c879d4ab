using System.Diagnostics.Metrics;
using LlmSuite.ServiceDefaults.Metrics;

namespace LlmSuite.ServiceDefaults.Tests.Metrics;

/// <summary>The collector's measurement path: series by tag set, and no allocation once a series exists.</summary>
public class PrometheusCollectorTests
{
    [Fact]
    public void Record_KnownTaggedSeries_AllocatesNoPerMeasurementMemory()
    {
        using var meter = new Meter("LlmSuite.Test." + Guid.NewGuid().ToString("N"));
        using var collector = new PrometheusCollector(m => m == meter);
        Histogram<double> latency = meter.CreateHistogram<double>("test.latency", "s");
        Counter<long> tokens = meter.CreateCounter<long>("test.tokens");
        var tags = new KeyValuePair<string, object?>[] { new("model", "default"), new("status", 200), new("ratio", 0.5) };
        for (int i = 0; i < 1000; i++)
        {
            latency.Record(0.02, tags);   // creates the series, then lets the JIT settle
            tokens.Add(3, tags);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            latency.Record(0.02, tags);
            tokens.Add(3, tags);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The old path allocated 128 bytes per measurement (256,000 here). The bound leaves room for a one-off series
        // that a collector of a test running in parallel (they listen to every meter) creates on this thread.
        Assert.True(allocated < 8_000, $"{allocated} bytes allocated by 2,000 measurements on known series");
        string text = collector.Scrape();
        Assert.Contains("test_tokens_total{model=\"default\",ratio=\"0.5\",status=\"200\"} 6000", text);
        Assert.Contains("test_latency_seconds_count{model=\"default\",ratio=\"0.5\",status=\"200\"} 2000", text);
    }

    [Fact]
    public void Record_DifferentTagValues_SeparateSeries()
    {
        using var meter = new Meter("LlmSuite.Test." + Guid.NewGuid().ToString("N"));
        using var collector = new PrometheusCollector(m => m == meter);
        Counter<long> requests = meter.CreateCounter<long>("test.requests");

        requests.Add(1, new KeyValuePair<string, object?>("status", 200));
        requests.Add(2, new KeyValuePair<string, object?>("status", 429));
        requests.Add(4, new KeyValuePair<string, object?>("status", 200));
        requests.Add(8, new KeyValuePair<string, object?>("route", new string('r', 600))); // longer than the key buffer

        string text = collector.Scrape();
        Assert.Contains("test_requests_total{status=\"200\"} 5", text);
        Assert.Contains("test_requests_total{status=\"429\"} 2", text);
        Assert.Contains($"test_requests_total{{route=\"{new string('r', 600)}\"}} 8", text);
    }
}
