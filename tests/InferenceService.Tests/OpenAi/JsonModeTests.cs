using System.Text.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.OpenAi;

/// <summary>response_format json_object (JSON mode) returns a parseable JSON object; json_schema is still refused.</summary>
[Collection(ServerCollection.Name)]
public sealed class JsonModeTests(ServerFixture fixture)
{
    private HttpClient Http => fixture.Server.Http;

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(1.0, 2)]
    public async Task CreateChatCompletion_JsonObjectFormat_ContentIsAJsonObjectFinishStop(double temperature, int n)
    {
        var body = new
        {
            model = "tiny",
            messages = new[] { new { role = "user", content = "Give me a JSON object describing a dog." } },
            response_format = new { type = "json_object" },
            temperature,
            seed = 3,
            n,
            max_tokens = 64,
        };

        var r = await Reference.PostJsonAsync(Http, "v1/chat/completions", body);

        var choices = r.GetProperty("choices");
        Assert.Equal(n, choices.GetArrayLength());
        foreach (var choice in choices.EnumerateArray())
        {
            var content = choice.GetProperty("message").GetProperty("content").GetString()!;
            using var doc = JsonDocument.Parse(content);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        }
    }

    [Fact]
    public async Task CreateChatCompletion_JsonSchemaFormat_Returns400NamingResponseFormat()
    {
        var body = new
        {
            model = "tiny",
            messages = new[] { new { role = "user", content = "x" } },
            response_format = new { type = "json_schema", json_schema = new { name = "s", schema = new { type = "object" } } },
        };

        var r = await Reference.PostJsonAsync(Http, "v1/chat/completions", body, 400);

        var error = r.GetProperty("error");
        Assert.Equal("response_format", error.GetProperty("param").GetString());
        Assert.Contains("json_schema", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
