using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace LlmSuite.ServiceDefaults.Resilience;

/// <summary>
/// The standard pipeline of Microsoft.Extensions.Http.Resilience (not served), built on Polly.Core: total timeout →
/// retry (exponential, jitter, honours Retry-After) → circuit breaker → attempt timeout.
/// </summary>
public sealed class StandardResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Builds the pipeline from options; <paramref name="timeProvider"/> makes it testable.</summary>
    public StandardResilienceHandler(IOptions<ResilienceOptions> options, TimeProvider? timeProvider = null)
    {
        _pipeline = Build(options.Value, timeProvider ?? TimeProvider.System);
    }

    internal static ResiliencePipeline<HttpResponseMessage> Build(ResilienceOptions o, TimeProvider time)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => TransientFailure.Is(r.StatusCode));
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(o.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = o.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                DelayGenerator = static args => ValueTask.FromResult(RetryAfter(args.Outcome)),
                OnRetry = static args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = o.FailureRatio,
                SamplingDuration = o.SamplingDuration,
                MinimumThroughput = o.MinimumThroughput,
                BreakDuration = o.BreakDuration,
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();
    }

    /// <summary>The server's Retry-After, if any (null lets the backoff decide).</summary>
    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome)
    {
        var retryAfter = outcome.Result?.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendCoreAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => base.SendAsync(request, cancellationToken);
}
