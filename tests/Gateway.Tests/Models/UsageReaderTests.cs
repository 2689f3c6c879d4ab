using System.Text;
using LlmSuite.Gateway.Models;

namespace LlmSuite.Gateway.Tests.Models;

public sealed class UsageReaderTests
{
    [Fact]
    public void Read_OpenAiJson_ReturnsUsage()
        => Assert.Equal((5L, 3L), UsageReader.Read("""{"usage":{"prompt_tokens":5,"completion_tokens":3}}"""u8, "application/json"));

    [Fact]
    public void Read_SseWithUsageChunk_ReturnsUsage()
    {
        var sse = Encoding.UTF8.GetBytes("data: {\"choices\":[]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n");
        Assert.Equal((7L, 2L), UsageReader.Read(sse, "text/event-stream"));
    }

    [Fact]
    public void Read_OllamaNdjson_ReturnsEvalCounts()
    {
        var ndjson = Encoding.UTF8.GetBytes("{\"done\":false}\n{\"done\":true,\"prompt_eval_count\":4,\"eval_count\":9}\n");
        Assert.Equal((4L, 9L), UsageReader.Read(ndjson, "application/x-ndjson"));
    }

    [Fact]
    public void Read_Garbage_ReturnsZero() => Assert.Equal((0L, 0L), UsageReader.Read("<html>"u8, "text/html"));
}
