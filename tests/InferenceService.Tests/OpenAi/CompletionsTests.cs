using System.Text.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.OpenAi;

/// <summary>/v1/completions over raw HTTP: token-id prompts, logprobs, echo, n, lists of prompts.</summary>
[Collection(ServerCollection.Name)]
public sealed class CompletionsTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task CreateCompletion_TokenIdsWithReturnTokensAsTokenIds_ReturnsTheExactGreedyIds()
    {
        var prompt = await Reference.TokenizeAsync(Http, "tiny", "Hello world, this is a test of the engine");
        var expected = Reference.Greedy(fixture.ModelDir, prompt, 24);

        var r = await Reference.PostJsonAsync(Http, "v1/completions", new
        {
            model = "tiny", prompt, max_tokens = 24, temperature = 0, logprobs = 2, return_tokens_as_token_ids = true, ignore_eos = true,
        });

        var choice = r.GetProperty("choices")[0];
        var tokens = choice.GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => int.Parse(t.GetString()!["token_id:".Length..])).ToArray();
        Assert.Equal(expected, tokens);
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(prompt.Length, r.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(24, r.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var logprobs = choice.GetProperty("logprobs");
        for (var i = 0; i < tokens.Length; i++)
        {
            var top = logprobs.GetProperty("top_logprobs")[i].EnumerateObject().ToList();
            Assert.Equal(2, top.Count);
            var lp = logprobs.GetProperty("token_logprobs")[i].GetSingle();
            Assert.True(lp <= 0f);
            // greedy: the chosen token is the most likely one
            Assert.Equal(top.Max(p => p.Value.GetSingle()), lp);
            Assert.Contains(top, p => p.Name == $"token_id:{tokens[i]}");
        }
    }

    [Fact]
    public async Task CreateCompletion_TextPromptWithEcho_PrependsThePromptText()
    {
        var r = await Reference.PostJsonAsync(Http, "v1/completions", new { model = "tiny", prompt = "Once upon a time", max_tokens = 5, temperature = 0, echo = true });

        Assert.StartsWith("Once upon a time", r.GetProperty("choices")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("text_completion", r.GetProperty("object").GetString());
    }

    [Fact]
    public async Task CreateCompletion_ListOfPromptsWithN_ReturnsPromptsTimesNChoicesAndSummedUsage()
    {
        var r = await Reference.PostJsonAsync(Http, "v1/completions", new { model = "tiny", prompt = new[] { "The sky", "A river" }, n = 2, max_tokens = 4, temperature = 0.8, seed = 7 });

        var choices = r.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(16, r.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.All(choices, c => Assert.Equal("length", c.GetProperty("finish_reason").GetString()));
    }

    [Fact]
    public async Task CreateCompletion_Streaming_EndsWithDoneAndMatchesTheNonStreamedText()
    {
        var whole = await Reference.PostJsonAsync(Http, "v1/completions", new { model = "tiny", prompt = "Hello", max_tokens = 10, temperature = 0 });
        using var response = await Http.PostAsync("v1/completions", JsonContent(new { model = "tiny", prompt = "Hello", max_tokens = 10, temperature = 0, stream = true, stream_options = new { include_usage = true } }));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("text").GetString(), text);
        Assert.Equal(10, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(JsonValueKind.Array, chunks[^1].GetProperty("choices").ValueKind);
    }

    [Fact]
    public async Task Detokenize_TokenizedText_ReturnsTheText()
    {
        var ids = await Reference.TokenizeAsync(Http, "tiny", "Round trip text.");

        var r = await Reference.PostJsonAsync(Http, "detokenize", new { model = "tiny", tokens = ids });

        Assert.Equal("Round trip text.", r.GetProperty("prompt").GetString());
    }

    internal static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
