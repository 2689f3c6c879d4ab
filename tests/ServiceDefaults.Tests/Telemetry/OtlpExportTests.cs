using LlmSuite.ServiceDefaults.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmSuite.ServiceDefaults.Tests.Telemetry;

public class OtlpExportTests
{
    [Fact]
    public async Task AddServiceDefaults_OtlpEndpointSet_ExportsSpansMetricsAndLogsToReceiver()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "otel-test-svc",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=otel-test-svc-1",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        var app = await TestWebApp.StartAsync(settings: settings, configureApp: a =>
            a.MapGet("/items/{id}", (int id, ILogger<OtlpExportTests> log) =>
            {
                log.LogInformation("Serving item {ItemId}", id);
                return Results.Ok(id);
            }));
        // the engine's meter ("LlmSuite.Engine", vLLM names with "vllm." since OTel forbids ':') is exported by the LlmSuite.* wildcard
        using var engineMeter = new System.Diagnostics.Metrics.Meter("LlmSuite.Engine");
        engineMeter.CreateCounter<long>("vllm.generation_tokens").Add(7, new KeyValuePair<string, object?>("model_name", "m"));
        using (var client = app.CreateClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/items/42");
            request.Headers.Add("x-request-id", "req-otel-1");
            (await client.SendAsync(request)).EnsureSuccessStatusCode();
            (await client.GetAsync("/health")).EnsureSuccessStatusCode();
        }
        await app.DisposeAsync(); // disposing the providers flushes every exporter

        var spans = receiver.Spans().ToList();
        var server = Assert.Single(spans, s => s.Span.String(5) == "GET /items/{id}");
        var attributes = server.Span.Attributes(9);
        Assert.Equal("GET", attributes["http.request.method"]);
        Assert.Equal("/items/{id}", attributes["http.route"]);
        Assert.Equal("/items/42", attributes["url.path"]);
        Assert.Equal("200", attributes["http.response.status_code"]);
        Assert.Equal("req-otel-1", attributes["request.id"]);
        Assert.Equal("otel-test-svc", server.Resource["service.name"]);
        Assert.Equal("otel-test-svc-1", server.Resource["service.instance.id"]);
        Assert.DoesNotContain(spans, s => s.Span.Attributes(9).GetValueOrDefault("url.path") == "/health");

        Assert.Contains("http.server.request.duration", receiver.MetricNames());
        Assert.Contains("vllm.generation_tokens", receiver.MetricNames());

        var log = Assert.Single(receiver.LogRecords(), r => r.Message(5) is { } body && ProtoMessage.AnyValue(body).StartsWith("Serving item", StringComparison.Ordinal));
        Assert.Equal("42", log.Attributes(6)["ItemId"]);
        Assert.Equal("req-otel-1", log.Attributes(6)["RequestId"]);
        Assert.Equal(server.Span.Bytes(1), log.Bytes(9)); // the log carries the request's trace id
    }
}
