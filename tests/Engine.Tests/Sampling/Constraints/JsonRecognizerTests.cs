using System.Text;
using LlmSuite.Engine.Sampling.Constraints;

namespace LlmSuite.Engine.Tests.Sampling.Constraints;

public sealed class JsonRecognizerTests
{
    private static (bool Ok, JsonRecognizer State) Run(string text)
    {
        var r = new JsonRecognizer();
        var ok = r.Push(Encoding.UTF8.GetBytes(text));
        return (ok, r);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"a\":1}")]
    [InlineData(" {\n  \"a\": [1, -2.5e+3, 0, 0.25E-1, true, false, null, \"x\\\"y\\u00e9\\n\", {}, []],\n  \"b\": {\"c\": \"é漢😀\"}\n}")]
    [InlineData("{\"\":\"\"}")]
    [InlineData("{\"n\":-0}")]
    [InlineData("{\"n\":[[[[]]]]}")]
    public void Push_CompleteObject_IsComplete(string text)
    {
        var (ok, state) = Run(text);

        Assert.True(ok);
        Assert.True(state.IsComplete);
        Assert.Equal(JsonValueKindObject, System.Text.Json.JsonDocument.Parse(text).RootElement.ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindObject = System.Text.Json.JsonValueKind.Object;

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a")]
    [InlineData("{\"a\\")]
    [InlineData("{\"a\\u00")]
    [InlineData("{\"a\"")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":-")]
    [InlineData("{\"a\":1.")]
    [InlineData("{\"a\":1e")]
    [InlineData("{\"a\":1e-")]
    [InlineData("{\"a\":12")]
    [InlineData("{\"a\":tr")]
    [InlineData("{\"a\":[1,")]
    [InlineData("{\"a\":{\"b\":nul")]
    public void Push_ValidPrefix_AcceptedNotComplete(string text)
    {
        var (ok, state) = Run(text);

        Assert.True(ok);
        Assert.False(state.IsComplete);
    }

    [Theory]
    [InlineData("[")]             // top level must be an object
    [InlineData("\"a\"")]
    [InlineData("1")]
    [InlineData("{a")]            // unquoted key
    [InlineData("{\"a\" 1")]      // missing colon
    [InlineData("{\"a\":1,}")]    // trailing comma
    [InlineData("{\"a\":[1,]}")]
    [InlineData("{\"a\":01}")]    // leading zero
    [InlineData("{\"a\":1.e1}")]
    [InlineData("{\"a\":+1}")]
    [InlineData("{\"a\":-}")]
    [InlineData("{\"a\":truth}")]
    [InlineData("{\"a\":\"\\x\"}")]   // bad escape
    [InlineData("{\"a\":\"\\u12g4\"}")]
    [InlineData("{\"a\":\"line\nbreak\"}")] // raw control character in a string
    [InlineData("{\"a\":]")]
    [InlineData("{\"a\":[}")]
    [InlineData("{}}")]
    [InlineData("{} ")]           // nothing after the object
    [InlineData("{\"a\":1]")]
    [InlineData("{     \"a\":1}")] // five whitespace bytes in a row
    public void Push_InvalidPrefix_Rejected(string text)
    {
        Assert.False(Run(text).Ok);
    }

    [Fact]
    public void Push_InvalidUtf8InString_Rejected()
    {
        var r = new JsonRecognizer();
        Assert.True(r.Push("{\"a\":\""u8));
        var copy = r;

        Assert.False(r.Push([0x80]));          // lone continuation byte
        Assert.False(copy.Push([0xC3, 0x41])); // lead byte then ASCII
    }

    [Fact]
    public void Push_Utf8SplitAcrossCalls_Accepted()
    {
        var r = new JsonRecognizer();
        var bytes = Encoding.UTF8.GetBytes("{\"k\":\"😀\"}");

        foreach (var b in bytes)
            Assert.True(r.Push(b));

        Assert.True(r.IsComplete);
    }

    [Fact]
    public void Push_CopyIsIndependent_OriginalUnchanged()
    {
        var r = new JsonRecognizer();
        Assert.True(r.Push("{\"a\":["u8));
        var copy = r;

        Assert.True(copy.Push("1]}"u8));
        Assert.True(copy.IsComplete);

        Assert.False(r.IsComplete);
        Assert.Equal(2, r.Depth);
        Assert.True(r.Push("]}"u8));
        Assert.True(r.IsComplete);
    }

    [Fact]
    public void Push_DeeperThanMaxDepth_Rejected()
    {
        var r = new JsonRecognizer();
        Assert.True(r.Push("{\"a\":"u8));
        for (var i = 1; i < JsonRecognizer.MaxDepth; i++)
            Assert.True(r.Push((byte)'['));

        Assert.False(r.Push((byte)'['));
    }
}
