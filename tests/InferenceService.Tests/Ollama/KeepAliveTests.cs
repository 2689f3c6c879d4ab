using System.Text.Json;
using LlmSuite.InferenceService.Generation;
using LlmSuite.InferenceService.Ollama;

namespace LlmSuite.InferenceService.Tests.Ollama;

public sealed class KeepAliveTests
{
    [Theory]
    [InlineData("\"5m\"", 300)]
    [InlineData("\"1h30m\"", 5400)]
    [InlineData("\"10s\"", 10)]
    [InlineData("\"0\"", 0)]
    [InlineData("0", 0)]
    [InlineData("120", 120)]
    [InlineData("\"1.5s\"", 1.5)]
    [InlineData("\"-1\"", -1)]
    [InlineData("-1", -1)]
    [InlineData("\"-5m\"", -1)]
    public void Parse_OllamaDurations_Seconds(string json, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), KeepAlive.Parse(JsonDocument.Parse(json).RootElement));
    }

    [Fact]
    public void Parse_Absent_Null()
    {
        Assert.Null(KeepAlive.Parse(null));
    }

    [Theory]
    [InlineData("\"five minutes\"")]
    [InlineData("true")]
    [InlineData("\"5x\"")]
    public void Parse_Garbage_ThrowsBadRequestNamingKeepAlive(string json)
    {
        var e = Assert.Throws<ApiException>(() => KeepAlive.Parse(JsonDocument.Parse(json).RootElement));

        Assert.Equal(400, e.Status);
        Assert.Equal("keep_alive", e.Param);
    }
}
