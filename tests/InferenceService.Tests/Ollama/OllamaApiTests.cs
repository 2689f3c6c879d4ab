using System.Net.Http.Json;
using System.Text.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.Ollama;

/// <summary>The Ollama API with HttpClient: NDJSON streaming, counts and durations, tags/show/ps/version.</summary>
[Collection(ServerCollection.Name)]
public sealed class OllamaApiTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Server.Http;

    private static readonly object Greedy = new { temperature = 0, num_predict = 10, repeat_penalty = 1.0, top_k = 0, top_p = 1.0 };

    private async Task<List<JsonElement>> NdjsonAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public async Task Chat_Streamed_NdjsonLinesConcatenateToTheNonStreamedAnswerWithCounts()
    {
        var messages = new[] { new { role = "user", content = "Why is the sky blue?" } };
        var whole = await Reference.PostJsonAsync(Http, "api/chat", new { model = "tiny", messages, stream = false, options = Greedy });

        var lines = await NdjsonAsync("api/chat", new { model = "tiny", messages, options = Greedy });

        Assert.All(lines[..^1], l => Assert.False(l.GetProperty("done").GetBoolean()));
        var last = lines[^1];
        Assert.True(last.GetProperty("done").GetBoolean());
        Assert.Equal("length", last.GetProperty("done_reason").GetString());
        Assert.Equal(10, last.GetProperty("eval_count").GetInt32());
        Assert.True(last.GetProperty("prompt_eval_count").GetInt32() > 5);
        Assert.True(last.GetProperty("total_duration").GetInt64() >= last.GetProperty("eval_duration").GetInt64());
        var streamed = string.Concat(lines.Select(l => l.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(whole.GetProperty("message").GetProperty("content").GetString(), streamed);
        Assert.Equal("assistant", whole.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(10, whole.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task Generate_NotStreamed_ReturnsResponseAndCounts()
    {
        var r = await Reference.PostJsonAsync(Http, "api/generate", new { model = "tiny:latest", prompt = "Hello", stream = false, options = Greedy });

        Assert.True(r.GetProperty("done").GetBoolean());
        Assert.Equal(10, r.GetProperty("eval_count").GetInt32());
        Assert.False(string.IsNullOrEmpty(r.GetProperty("response").GetString()));
        Assert.Equal("tiny:latest", r.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Generate_RawPromptStreamed_MatchesOpenAiCompletionText()
    {
        var completion = await Reference.PostJsonAsync(Http, "v1/completions", new { model = "tiny", prompt = "Once", max_tokens = 10, temperature = 0 });

        var lines = await NdjsonAsync("api/generate", new { model = "tiny", prompt = "Once", raw = true, options = Greedy });

        Assert.Equal(completion.GetProperty("choices")[0].GetProperty("text").GetString(), string.Concat(lines.Select(l => l.GetProperty("response").GetString())));
    }

    [Fact]
    public async Task Generate_NumCtx_BoundsTheContextWithoutTruncating()
    {
        var prompt = "Once upon a time there was a very long story about many things";
        var promptTokens = (await Reference.TokenizeAsync(Http, "tiny", prompt)).Length;

        var tooSmall = await Reference.PostJsonAsync(Http, "api/generate",
            new { model = "tiny", prompt, raw = true, stream = false, options = new { num_ctx = promptTokens - 2, temperature = 0 } }, 400);
        Assert.Contains("options.num_ctx", tooSmall.GetProperty("error").GetString());
        Assert.Contains($"{promptTokens} tokens", tooSmall.GetProperty("error").GetString());

        var bounded = await Reference.PostJsonAsync(Http, "api/generate",
            new { model = "tiny", prompt, raw = true, stream = false, options = new { num_ctx = promptTokens + 3, temperature = 0, top_k = 0, repeat_penalty = 1.0 } });
        Assert.Equal(promptTokens, bounded.GetProperty("prompt_eval_count").GetInt32());
        Assert.Equal(3, bounded.GetProperty("eval_count").GetInt32());
        Assert.Equal("length", bounded.GetProperty("done_reason").GetString());
    }

    [Fact]
    public async Task Tags_ListsTheModelWithLatestTag()
    {
        var r = JsonDocument.Parse(await Http.GetStringAsync("api/tags")).RootElement;

        var model = Assert.Single(r.GetProperty("models").EnumerateArray(), m => m.GetProperty("name").GetString() == "tiny:latest");
        Assert.Equal("safetensors", model.GetProperty("details").GetProperty("format").GetString());
        Assert.Equal("llama", model.GetProperty("details").GetProperty("family").GetString());
        Assert.True(model.GetProperty("size").GetInt64() > 0);
    }

    [Fact]
    public async Task Show_ReturnsTemplateAndContextLength()
    {
        var r = await Reference.PostJsonAsync(Http, "api/show", new { model = "tiny" });

        Assert.Equal(TinyModel.ChatTemplate, r.GetProperty("template").GetString());
        Assert.Equal(TinyModel.Context, r.GetProperty("model_info").GetProperty("llama.context_length").GetInt32());
    }

    [Fact]
    public async Task PsAndVersion_ReportTheLoadedModelAndAVersion()
    {
        var ps = JsonDocument.Parse(await Http.GetStringAsync("api/ps")).RootElement;
        var version = JsonDocument.Parse(await Http.GetStringAsync("api/version")).RootElement;

        Assert.Contains(ps.GetProperty("models").EnumerateArray(), m => m.GetProperty("name").GetString() == "tiny:latest");
        Assert.Matches(@"^\d+\.\d+\.\d+$", version.GetProperty("version").GetString()!);
    }

    [Fact]
    public async Task Chat_UnknownModelOrJsonSchemaFormat_ReturnsOllamaError()
    {
        var missing = await Reference.PostJsonAsync(Http, "api/chat", new { model = "ghost", messages = new[] { new { role = "user", content = "x" } } }, 404);
        var schema = new { type = "object", properties = new { a = new { type = "string" } } };
        var format = await Reference.PostJsonAsync(Http, "api/chat", new { model = "tiny", format = schema, messages = new[] { new { role = "user", content = "x" } } }, 400);

        Assert.Contains("ghost", missing.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("format", format.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public async Task Chat_FormatJson_ContentIsAJsonObjectAndDoneReasonStop(double temperature)
    {
        var messages = new[] { new { role = "user", content = "Describe a cat as JSON." } };
        var options = new { temperature, seed = 5, num_predict = 64 };

        var r = await Reference.PostJsonAsync(Http, "api/chat", new { model = "tiny", format = "json", messages, stream = false, options });

        var content = r.GetProperty("message").GetProperty("content").GetString()!;
        using var doc = JsonDocument.Parse(content);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.Equal("stop", r.GetProperty("done_reason").GetString());
    }

    [Fact]
    public async Task Generate_FormatJsonStreamed_ConcatenatedResponseIsAJsonObject()
    {
        var lines = await NdjsonAsync("api/generate", new { model = "tiny", format = "json", prompt = "A JSON object:", options = new { temperature = 0.7, seed = 9, num_predict = 48 } });

        var text = string.Concat(lines.Select(l => l.GetProperty("response").GetString()));
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.Equal("stop", lines[^1].GetProperty("done_reason").GetString());
    }
}
