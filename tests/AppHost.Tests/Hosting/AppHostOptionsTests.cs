using LlmSuite.AppHost.Hosting;

namespace LlmSuite.AppHost.Tests.Hosting;

public class AppHostOptionsTests
{
    [Fact]
    public void Parse_NoArguments_TwoInferenceReplicasAndRedis()
    {
        var options = AppHostOptions.Parse([]);
        Assert.Equal(2, options.InferenceReplicas);
        Assert.False(options.NoRedis);
        Assert.Null(options.Model);
        Assert.Equal(8000, options.GatewayPort);
    }

    [Fact]
    public void Parse_AllOptions_Read()
    {
        var options = AppHostOptions.Parse(["--replicas", "3", "--model=/m/x.gguf", "--no-redis", "--health-timeout", "30", "--port", "0"]);
        Assert.Equal(0, options.GatewayPort);
        Assert.Equal(3, options.InferenceReplicas);
        Assert.Equal("/m/x.gguf", options.Model);
        Assert.True(options.NoRedis);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HealthTimeout);
    }

    [Theory]
    [InlineData("--replicas", "0", "--replicas must be an integer from 1 to 64")]
    [InlineData("--replicas", "two", "--replicas must be an integer from 1 to 64")]
    [InlineData("--bogus", "1", "unknown option '--bogus' (see --help)")]
    public void Parse_BadValue_ThrowsNamingTheOption(string name, string value, string message)
        => Assert.Equal(message, Assert.Throws<ArgumentException>(() => AppHostOptions.Parse([name, value])).Message);

    [Fact]
    public void Parse_MissingValue_Throws()
        => Assert.Equal("option --model needs a value", Assert.Throws<ArgumentException>(() => AppHostOptions.Parse(["--model"])).Message);
}
