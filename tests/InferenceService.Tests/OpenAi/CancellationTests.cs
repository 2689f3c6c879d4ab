using System.Net.Http.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.OpenAi;

/// <summary>A client that goes away aborts its engine request: running back to 0 and KV usage back within a second.</summary>
[Collection(ServerCollection.Name)]
public sealed class CancellationTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Server.Http;

    private const string Running = "vllm:num_requests_running";
    private const string KvUsage = "vllm:kv_cache_usage_perc";
    private const string Model = "model_name=\"tiny\"";

    [Fact]
    public async Task StreamingChat_ClientDisconnectsMidStream_AbortsWithinASecond()
    {
        var before = await Reference.MetricsAsync(Http);
        var kvBefore = Reference.Metric(before, KvUsage, Model) ?? 0;
        var abortsBefore = Reference.Metric(before, "vllm:request_success_total", Model, "finished_reason=\"abort\"") ?? 0;

        // a client of its own that does not drain the rest of the response on dispose (SocketsHttpHandler would, for 2 s)
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero }) { BaseAddress = Http.BaseAddress })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "tiny", messages = new[] { new { role = "user", content = "Write a very long essay" } }, max_tokens = 1900, ignore_eos = true, temperature = 0, stream = true }),
        })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            for (var lines = 0; lines < 6;)
            {
                var line = await reader.ReadLineAsync();
                Assert.NotNull(line);
                lines += line!.StartsWith("data: ", StringComparison.Ordinal) ? 1 : 0;
            }
            var during = await Reference.MetricsAsync(Http);
            Assert.Equal(1, Reference.Metric(during, Running, Model));
        }   // disposing the response closes the connection

        await AssertBackToIdleAsync(kvBefore, abortsBefore);
    }

    [Fact]
    public async Task NonStreamingChat_ClientCancels_AbortsWithinASecond()
    {
        var before = await Reference.MetricsAsync(Http);
        var kvBefore = Reference.Metric(before, KvUsage, Model) ?? 0;
        var abortsBefore = Reference.Metric(before, "vllm:request_success_total", Model, "finished_reason=\"abort\"") ?? 0;
        using var cts = new CancellationTokenSource();

        var call = Http.PostAsJsonAsync("v1/chat/completions", new { model = "tiny", messages = new[] { new { role = "user", content = "Another long essay" } }, max_tokens = 1900, ignore_eos = true, temperature = 0 }, cts.Token);
        for (var i = 0; i < 100 && Reference.Metric(await Reference.MetricsAsync(Http), Running, Model) != 1; i++)
        {
            await Task.Delay(20);
        }
        Assert.Equal(1, Reference.Metric(await Reference.MetricsAsync(Http), Running, Model));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await AssertBackToIdleAsync(kvBefore, abortsBefore);
    }

    [Fact]
    public async Task AbortRequest_ByXRequestId_EndsTheStreamAndFreesTheSequence()
    {
        var before = await Reference.MetricsAsync(Http);
        var kvBefore = Reference.Metric(before, KvUsage, Model) ?? 0;
        var abortsBefore = Reference.Metric(before, "vllm:request_success_total", Model, "finished_reason=\"abort\"") ?? 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = JsonContent.Create(new { model = "tiny", prompt = "Keep going", max_tokens = 1900, ignore_eos = true, temperature = 0, stream = true }),
        };
        request.Headers.Add("x-request-id", "stop-button-42");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);

        using var abort = await Http.DeleteAsync("v1/requests/stop-button-42");
        var rest = await reader.ReadToEndAsync();
        using var again = await Http.DeleteAsync("v1/requests/stop-button-42");

        Assert.Equal(204, (int)abort.StatusCode);
        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
        Assert.Equal(404, (int)again.StatusCode);
        await AssertBackToIdleAsync(kvBefore, abortsBefore);
    }

    private async Task AssertBackToIdleAsync(double kvBefore, double abortsBefore)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        string metrics;
        do
        {
            metrics = await Reference.MetricsAsync(Http);
            if (Reference.Metric(metrics, Running, Model) == 0 && Reference.Metric(metrics, KvUsage, Model) == kvBefore)
            {
                break;
            }
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(0, Reference.Metric(metrics, Running, Model));
        Assert.Equal(kvBefore, Reference.Metric(metrics, KvUsage, Model));
        Assert.Equal(abortsBefore + 1, Reference.Metric(metrics, "vllm:request_success_total", Model, "finished_reason=\"abort\""));
    }
}
