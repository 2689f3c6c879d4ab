using System.Text;
using LlmSuite.Gateway.Caching;
using LlmSuite.Gateway.Models;

namespace LlmSuite.Gateway.Tests.Models;

public sealed class RequestParserTests
{
    private static GatewayRequest Parse(string path, string json) => RequestParser.Parse(path, Encoding.UTF8.GetBytes(json), null)!;

    [Theory]
    [InlineData("""{"model":"m","messages":[],"temperature":0}""", true)]
    [InlineData("""{"model":"m","messages":[],"temperature":0.7,"seed":3}""", true)]
    [InlineData("""{"model":"m","messages":[],"temperature":0.7}""", false)]
    [InlineData("""{"model":"m","messages":[]}""", false)]
    public void Parse_OpenAiSampling_DetectsDeterministic(string json, bool deterministic)
        => Assert.Equal(deterministic, Parse("/v1/chat/completions", json).Deterministic);

    [Fact]
    public void Parse_OllamaOptions_DeterministicAndStreamsByDefault()
    {
        var request = Parse("/api/chat", """{"model":"m","messages":[{"role":"user","content":"hi"}],"options":{"temperature":0}}""");
        Assert.True(request.Deterministic);
        Assert.True(request.Stream);
        Assert.False(Parse("/api/chat", """{"model":"m","stream":false}""").Stream);
    }

    [Fact]
    public void Parse_KeyOrderAndWhitespace_SameCanonicalBody()
    {
        var a = Parse("/v1/chat/completions", """{"model":"m","temperature":0,"messages":[{"role":"user","content":"hi"}]}""");
        var b = Parse("/v1/chat/completions", """{ "messages": [ { "content": "hi", "role": "user" } ], "temperature": 0, "model": "m" }""");
        Assert.Equal(a.CanonicalBody, b.CanonicalBody);
        Assert.Equal(PromptCacheKey.For("t", "/v1/chat/completions", "m", a.CanonicalBody), PromptCacheKey.For("t", "/v1/chat/completions", "m", b.CanonicalBody));
        Assert.NotEqual(PromptCacheKey.For("t", "/v1/chat/completions", "m", a.CanonicalBody), PromptCacheKey.For("u", "/v1/chat/completions", "m", a.CanonicalBody));
    }

    [Fact]
    public void Parse_MultiTurn_PromptTextExtendsPreviousTurn()
    {
        var one = Parse("/v1/chat/completions", """{"messages":[{"role":"system","content":"sys"},{"role":"user","content":"q1"}]}""");
        var two = Parse("/v1/chat/completions", """{"messages":[{"role":"system","content":"sys"},{"role":"user","content":"q1"},{"role":"assistant","content":"a1"},{"role":"user","content":[{"type":"text","text":"q2"}]}]}""");
        Assert.StartsWith(one.PromptText, two.PromptText);
        Assert.Contains("q2", two.PromptText);
    }

    [Fact]
    public void Parse_NotJsonObject_ReturnsNull()
    {
        Assert.Null(RequestParser.Parse("/v1/completions", "not json"u8.ToArray(), null));
        Assert.Null(RequestParser.Parse("/v1/completions", "[1,2]"u8.ToArray(), null));
    }
}
