using System.ClientModel;
using LlmSuite.InferenceService.Tests.TestHost;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace LlmSuite.InferenceService.Tests.OpenAi;

/// <summary>The official OpenAI .NET SDK 2.15.0, unmodified, against the running server.</summary>
[Collection(ServerCollection.Name)]
public sealed class OpenAiSdkTests(ServerFixture fixture)
{
    private OpenAIClientOptions Options => new() { Endpoint = new Uri(fixture.Server.Address, "v1") };

    private ChatClient Chat(string model = "tiny") => new(model, new ApiKeyCredential("unused"), Options);

    private static ChatCompletionOptions Greedy(int max) => new() { Temperature = 0f, MaxOutputTokenCount = max };

    [Fact]
    public async Task CompleteChat_Greedy_ReturnsTextLengthFinishAndExactUsage()
    {
        ChatMessage[] messages = [new SystemChatMessage("You are terse."), new UserChatMessage("Hello there")];
        var prompt = await Reference.PostJsonAsync(fixture.Server.Http, "tokenize", new
        {
            model = "tiny",
            messages = new object[] { new { role = "system", content = "You are terse." }, new { role = "user", content = "Hello there" } },
        });

        ChatCompletion completion = await Chat().CompleteChatAsync(messages, Greedy(12) );

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(12, completion.Usage.OutputTokenCount);
        Assert.Equal(prompt.GetProperty("count").GetInt32(), completion.Usage.InputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + 12, completion.Usage.TotalTokenCount);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
    }

    [Fact]
    public async Task CompleteChatStreaming_Greedy_ConcatenatesToTheNonStreamedTextWithUsage()
    {
        ChatMessage[] messages = [new UserChatMessage("Tell me a story")];
        ChatCompletion whole = await Chat().CompleteChatAsync(messages, Greedy(20));

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in Chat().CompleteChatStreamingAsync(messages, Greedy(20)))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.True(updates > 2);
        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(20, usage!.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_StopString_CutsBeforeTheStopWithFinishStop()
    {
        ChatMessage[] messages = [new UserChatMessage("Count with me")];
        ChatCompletion whole = await Chat().CompleteChatAsync(messages, Greedy(30));
        var full = whole.Content[0].Text;
        Assert.True(full.Length >= 10, $"greedy text too short for the test: '{full}'");
        var stop = full.Substring(6, 3);
        var options = Greedy(30);
        options.StopSequences.Add(stop);

        ChatCompletion stopped = await Chat().CompleteChatAsync(messages, options);

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], stopped.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.True(stopped.Usage.OutputTokenCount < 30);
    }

    [Fact]
    public async Task CompleteChat_LogProbabilities_OnePerOutputTokenWithTopAlternatives()
    {
        var options = Greedy(6);
        options.IncludeLogProbabilities = true;
        options.TopLogProbabilityCount = 3;

        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Probabilities please")], options);

        Assert.Equal(6, completion.ContentTokenLogProbabilities.Count);
        Assert.All(completion.ContentTokenLogProbabilities, t =>
        {
            Assert.Equal(3, t.TopLogProbabilities.Count);
            Assert.True(t.LogProbability <= 0f);
            Assert.Equal(t.TopLogProbabilities.Max(a => a.LogProbability), t.LogProbability); // greedy picks the top
        });
        Assert.Equal(completion.Content[0].Text, string.Concat(completion.ContentTokenLogProbabilities.Select(t => t.Token)));
    }

    [Fact]
    public async Task CompleteChatStreaming_NTwoSeeded_TwoChoicesEachWithAFinishReason()
    {
        var body = new
        {
            model = "tiny", n = 2, seed = 11, temperature = 1.0, max_tokens = 5, stream = true,
            messages = new[] { new { role = "user", content = "Two answers" } },
        };
        using var response = await fixture.Server.Http.PostAsync("v1/chat/completions", CompletionsTests.JsonContent(body));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("data: [DONE]", events[^1]);
        var choices = events[..^1].Select(e => System.Text.Json.JsonDocument.Parse(e[6..]).RootElement.GetProperty("choices")[0]).ToList();
        Assert.All(events[..^1], e => Assert.Equal("chat.completion.chunk", System.Text.Json.JsonDocument.Parse(e[6..]).RootElement.GetProperty("object").GetString()));
        Assert.Equal([0, 1], choices.Where(c => c.GetProperty("delta").TryGetProperty("role", out _)).Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal([0, 1], choices.Where(c => c.GetProperty("finish_reason").ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(c => c.GetProperty("index").GetInt32()).Order());
    }

    [Fact]
    public async Task GetModels_ListsTheDefaultModel()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential("unused"), Options);

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Contains(models, m => m.Id == "tiny" && m.OwnedBy == "llmsuite");
    }

    [Fact]
    public async Task CompleteChat_NegativeTemperature_ThrowsClientResultException400NamingTheParameter()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => Chat().CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = -1f }));

        Assert.Equal(400, e.Status);
        Assert.Contains("temperature", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_UnknownModel_ThrowsClientResultException404()
    {
        var e = await Assert.ThrowsAsync<ClientResultException>(() => Chat("no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, e.Status);
        Assert.Contains("no-such-model", e.Message, StringComparison.Ordinal);
    }
}
