using System.Runtime.CompilerServices;
using LlmSuite.Engine.Serving;
using LlmSuite.InferenceService.Models;

namespace LlmSuite.InferenceService.Generation;

/// <summary>
/// One admitted engine request: its stream of deltas (enumerate once) and timings. Cancelling the token given to
/// <see cref="Generator.Start"/> (the client disconnected) or disposing before the end aborts the engine sequence.
/// </summary>
public sealed class Generation : IAsyncDisposable
{
    private readonly LoadedModel _model;
    private readonly TimeSpan _keepAlive;
    private readonly IAsyncEnumerable<RequestOutput> _source;
    private readonly TimeProvider _time;
    private readonly Action _onRelease;
    private int _released;
    private bool _finished;

    internal Generation(LoadedModel model, string engineRequestId, int promptTokens, IAsyncEnumerable<RequestOutput> source, TimeSpan keepAlive, TimeProvider time, Action onRelease)
    {
        _onRelease = onRelease;
        _model = model;
        EngineRequestId = engineRequestId;
        PromptTokens = promptTokens;
        _source = source;
        _keepAlive = keepAlive;
        _time = time;
        StartTimestamp = time.GetTimestamp();
    }

    /// <summary>The id the engine knows the request by (the x-request-id, made unique).</summary>
    public string EngineRequestId { get; }

    /// <summary>Prompt tokens.</summary>
    public int PromptTokens { get; }

    /// <summary>The model.</summary>
    public LoadedModel Model => _model;

    /// <summary>When the request was submitted.</summary>
    public long StartTimestamp { get; }

    /// <summary>When the first delta arrived (0 before).</summary>
    public long FirstTokenTimestamp { get; private set; }

    /// <summary>When the last delta arrived (0 before).</summary>
    public long EndTimestamp { get; private set; }

    /// <summary>The deltas, ending with the one whose <see cref="RequestOutput.Finished"/> is set.</summary>
    public async IAsyncEnumerable<RequestOutput> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var output in _source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (FirstTokenTimestamp == 0)
                {
                    FirstTokenTimestamp = _time.GetTimestamp();
                }
                EndTimestamp = _time.GetTimestamp();
                _finished |= output.Finished;
                yield return output;
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Aborts the request if it has not finished and releases its admission slot.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _model.Host.Abort(EngineRequestId);
        }
        Release();
        return ValueTask.CompletedTask;
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _onRelease();
            _model.Admission.Exit(_finished);
            _model.Exit(_keepAlive);
        }
    }
}
