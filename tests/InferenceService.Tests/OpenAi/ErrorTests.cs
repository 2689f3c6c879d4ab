using System.Text;
using System.Text.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.OpenAi;

/// <summary>Invalid requests get 4xx with OpenAI's error JSON naming the parameter; the server stays healthy.</summary>
[Collection(ServerCollection.Name)]
public sealed class ErrorTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task CreateChatCompletion_PromptLongerThanContext_Returns400WithTheTokenCounts()
    {
        var longText = string.Concat(Enumerable.Repeat("alpha beta gamma delta ", 700));
        var count = (await Reference.PostJsonAsync(Http, "tokenize", new { model = "tiny", messages = new[] { new { role = "user", content = longText } } })).GetProperty("count").GetInt32();
        Assert.True(count > TinyModel.Context);

        var r = await Reference.PostJsonAsync(Http, "v1/chat/completions", new { model = "tiny", messages = new[] { new { role = "user", content = longText } } }, 400);

        var error = r.GetProperty("error");
        Assert.Equal("messages", error.GetProperty("param").GetString());
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains($"{count} tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains($"{TinyModel.Context}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateChatCompletion_PromptPlusMaxTokensOverContext_Returns400NamingMaxTokens()
    {
        var r = await Reference.PostJsonAsync(Http, "v1/chat/completions", new { model = "tiny", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = TinyModel.Context }, 400);

        Assert.Equal("max_tokens", r.GetProperty("error").GetProperty("param").GetString());
    }

    public static TheoryData<string, int, string?> Malformed => new()
    {
        { "{", 400, null },
        { "[]", 400, null },
        { "", 400, null },
        { """{"model":"tiny","messages":[]}""", 400, "messages" },
        { """{"model":"tiny","messages":"hello"}""", 400, "messages" },
        { """{"model":"tiny","messages":[{"role":"wizard","content":"x"}]}""", 400, "messages[0].role" },
        { """{"model":"tiny","messages":[{"role":"user","content":5}]}""", 400, "messages[0].content" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"max_tokens":-3}""", 400, "max_tokens" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"max_tokens":"ten"}""", 400, "max_tokens" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"top_p":0}""", 400, "top_p" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"n":0}""", 400, "n" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"logit_bias":{"abc":1}}""", 400, "logit_bias" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"logit_bias":{"99999999":1}}""", 400, "logit_bias" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"stop":5}""", 400, "stop" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"top_logprobs":3}""", 400, "top_logprobs" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":50}""", 400, "logprobs" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"stream":"yes"}""", 400, "stream" },
        { """{"model":"nope","messages":[{"role":"user","content":"x"}]}""", 404, "model" },
        { """{"model":"tiny","messages":[{"role":"user","content":"x"}],"unknown_field":{"a":1},"temperature":0,"max_tokens":1}""", 200, null },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task CreateChatCompletion_MalformedRequest_ReturnsOpenAiErrorNamingTheParameter(string body, int status, string? param)
    {
        using var response = await Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == status, $"{body} → {(int)response.StatusCode}: {text}");
        if (status != 200)
        {
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }

    [Fact]
    public async Task Server_TwoHundredMalformedRequests_AllGet4xxJsonAndHealthStays200()
    {
        string[] bodies =
        [
            "{", "null", "42", """{"messages":[{"role":"user"}]}""", """{"model":"tiny","messages":[{}]}""",
            """{"model":"tiny","prompt":[-1]}""", """{"model":"tiny","messages":[{"role":"user","content":"x"}],"temperature":-2}""",
            """{"model":"tiny","messages":[{"role":"user","content":"x"}],"presence_penalty":9}""",
        ];
        for (var i = 0; i < 200; i++)
        {
            var path = i % 3 == 0 ? "v1/completions" : "v1/chat/completions";
            using var response = await Http.PostAsync(path, new StringContent(bodies[i % bodies.Length], Encoding.UTF8, "application/json"));
            var status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{bodies[i % bodies.Length]} → {status}");
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("error", out _));
        }
        using var health = await Http.GetAsync("health");
        Assert.Equal(200, (int)health.StatusCode);
    }

    [Fact]
    public async Task CreateChatCompletion_BodyOverTheLimit_Returns413()
    {
        // raw HTTP: declare a 5 MB body, send its first byte, and read the answer (the server refuses before the upload ends)
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fixture.Server.Address.Host, fixture.Server.Address.Port);
        var stream = tcp.GetStream();
        var head = "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5242880\r\n\r\n{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);

        var status = await reader.ReadLineAsync();

        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
    }
}
