using LlmSuite.Engine.Serving;

namespace LlmSuite.Engine.Tests.Serving;

public class ByteSizeTests
{
    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("4GiB", 4L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData(" 800 M ", 800L << 20)]
    public void Parse_Units_Bytes(string text, long expected) => Assert.Equal(expected, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("GiB")]
    [InlineData("4 parsecs")]
    [InlineData("-1G")]
    public void Parse_Invalid_FormatExceptionNamingInput(string text) => Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => ByteSize.Parse(text)).Message);
}
