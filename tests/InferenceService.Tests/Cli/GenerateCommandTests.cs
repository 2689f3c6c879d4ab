using LlmSuite.InferenceService.Cli;

namespace LlmSuite.InferenceService.Tests.Cli;

/// <summary><c>InferenceService generate</c> on the bundled model: streams the text PyTorch's greedy decoding produced.</summary>
public sealed class GenerateCommandTests
{
    [Fact]
    public void Run_BundledModelGreedy_PrintsReferenceContinuationAndSpeed()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = GenerateCommand.Run(["--prompt", "Who are you?", "--max-tokens", "32"], output, error);

        Assert.Equal(0, exit);
        Assert.Equal("You are a small demo model.", output.ToString().Trim()); // reference.json, greedy, ends at <|im_end|>
        Assert.Matches(@"generated \d+ tokens in [\d.]+ s \([\d.]+ tok/s\); finish: stop", error.ToString());
    }

    [Fact]
    public void Run_MissingModel_ExitsWithClearError()
    {
        var error = new StringWriter();

        Assert.Equal(1, GenerateCommand.Run(["--model", "/nonexistent/model", "--prompt", "x"], new StringWriter(), error));
        Assert.Contains("model path not found: /nonexistent/model", error.ToString());
    }

    [Fact]
    public void Run_BadOption_ExitsWithUsage()
    {
        var error = new StringWriter();

        Assert.Equal(2, GenerateCommand.Run(["--prompt", "x", "--max-tokens", "-3"], new StringWriter(), error));
        Assert.Contains("--max-tokens must be a positive integer", error.ToString());
        Assert.Contains("Usage:", error.ToString());
    }
}
