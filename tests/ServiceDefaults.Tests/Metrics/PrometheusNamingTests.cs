using LlmSuite.ServiceDefaults.Metrics;

namespace LlmSuite.ServiceDefaults.Tests.Metrics;

public class PrometheusNamingTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", PrometheusType.Histogram, "http_server_request_duration_seconds")]
    [InlineData("vllm:num_requests_running", null, PrometheusType.Gauge, "vllm:num_requests_running")]
    [InlineData("vllm:prompt_tokens", null, PrometheusType.Counter, "vllm:prompt_tokens_total")]
    [InlineData("vllm.prompt_tokens", "{token}", PrometheusType.Counter, "vllm:prompt_tokens_total")]
    [InlineData("vllm.time_to_first_token_seconds", "s", PrometheusType.Histogram, "vllm:time_to_first_token_seconds")]
    [InlineData("vllmx.y", null, PrometheusType.Gauge, "vllmx_y")]
    [InlineData("vllm:prompt_tokens_total", null, PrometheusType.Counter, "vllm:prompt_tokens_total")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", PrometheusType.Counter, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("kestrel.active_connections", "{connection}", PrometheusType.Gauge, "kestrel_active_connections")]
    [InlineData("3d-model.size", "By", PrometheusType.Gauge, "_3d_model_size_bytes")]
    public void MetricName_OtelInstrument_MapsToPrometheusConventions(string name, string? unit, PrometheusType type, string expected)
        => Assert.Equal(expected, PrometheusNaming.MetricName(name, unit, type));

    [Fact]
    public void LabelName_DotsAndColons_BecomeUnderscores() => Assert.Equal("http_request_method", PrometheusNaming.LabelName("http.request:method"));
}
