namespace LlmSuite.Gateway.Tests.TestHost;

/// <summary>One real Redis per test class.</summary>
public sealed class RedisFixture : IDisposable
{
    /// <summary>The server.</summary>
    public RedisServer Server { get; } = new();

    /// <inheritdoc/>
    public void Dispose() => Server.Dispose();
}
