using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.Metrics;

/// <summary>/metrics carries vLLM's metric names with a model_name label, so existing Grafana dashboards work.</summary>
[Collection(ServerCollection.Name)]
public sealed class VllmMetricsTests(ServerFixture fixture)
{
    private const string Model = "model_name=\"tiny\"";

    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Metrics_AfterACompletion_ExposeVllmNamesAndCountTokens()
    {
        var before = await Reference.MetricsAsync(Http);
        var promptBefore = Reference.Metric(before, "vllm:prompt_tokens_total", Model) ?? 0;
        var generatedBefore = Reference.Metric(before, "vllm:generation_tokens_total", Model) ?? 0;
        var stopsBefore = Reference.Metric(before, "vllm:request_success_total", Model, "finished_reason=\"length\"") ?? 0;

        var completion = await Reference.PostJsonAsync(Http, "v1/completions", new { model = "tiny", prompt = "Hello there", max_tokens = 5, temperature = 0, ignore_eos = true });
        var usage = completion.GetProperty("usage");
        var after = await Reference.MetricsAsync(Http);

        foreach (var name in new[]
        {
            "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
            "vllm:prefix_cache_queries_total", "vllm:prefix_cache_hits_total", "vllm:num_preemptions_total",
            "vllm:time_to_first_token_seconds_count", "vllm:inter_token_latency_seconds_count", "vllm:e2e_request_latency_seconds_count",
        })
        {
            Assert.True(Reference.Metric(after, name, Model) is not null, $"{name}{{{Model}}} is missing from /metrics");
        }
        Assert.Contains("# TYPE vllm:time_to_first_token_seconds histogram", after);
        Assert.Equal(promptBefore + usage.GetProperty("prompt_tokens").GetInt32(), Reference.Metric(after, "vllm:prompt_tokens_total", Model));
        Assert.Equal(generatedBefore + usage.GetProperty("completion_tokens").GetInt32(), Reference.Metric(after, "vllm:generation_tokens_total", Model));
        Assert.Equal(stopsBefore + 1, Reference.Metric(after, "vllm:request_success_total", Model, "finished_reason=\"length\""));
    }
}
