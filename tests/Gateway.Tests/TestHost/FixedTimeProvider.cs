namespace LlmSuite.Gateway.Tests.TestHost;

/// <summary>A clock that stands still (rate-limit windows are then deterministic); timers still run in real time.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => now;
}
