namespace LlmSuite.ServiceDefaults.Resilience;

/// <summary>
/// Settings of the standard HttpClient pipeline (configuration section <c>Resilience</c>). The defaults suit calls to
/// LLM services, whose non-streaming answers can take tens of seconds before the first header.
/// </summary>
public sealed class ResilienceOptions
{
    /// <summary>Bound on the whole call including retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Bound on one attempt (until response headers).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt, on transient failures only.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failure ratio over <see cref="SamplingDuration"/> that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Window of the circuit breaker's statistics.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls in the window before the breaker may open.</summary>
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>How long the circuit stays open.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
