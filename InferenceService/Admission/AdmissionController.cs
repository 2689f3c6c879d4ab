namespace LlmSuite.InferenceService.Admission;

/// <summary>
/// The queue limit of one model: at most <c>running + queued</c> requests in flight; beyond that a request is refused
/// with a Retry-After computed from the measured service rate (requests finished per second over the recent window):
/// the wait until enough requests ahead of it finish for a running slot to open.
/// </summary>
public sealed class AdmissionController(int running, int queued, TimeProvider time)
{
    private const int Window = 32;
    private readonly object _gate = new();
    private readonly Queue<long> _finished = new();   // timestamps of the last Window completions
    private int _inFlight;

    /// <summary>Requests in flight (running or waiting in the engine).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Most requests in flight.</summary>
    public int Capacity { get; } = running + queued;

    /// <summary>Admits a request, or returns false with the estimated wait.</summary>
    public bool TryEnter(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            if (_inFlight < Capacity)
            {
                _inFlight++;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = EstimateWait(_inFlight - running + 1);
            return false;
        }
    }

    /// <summary>Releases an admitted request; <paramref name="completed"/> counts it towards the service rate.</summary>
    public void Exit(bool completed)
    {
        lock (_gate)
        {
            _inFlight--;
            if (completed)
            {
                _finished.Enqueue(time.GetTimestamp());
                if (_finished.Count > Window)
                {
                    _finished.Dequeue();
                }
            }
        }
    }

    /// <summary>Finished requests per second over the recent window, or null before two completions.</summary>
    public double? ServiceRate
    {
        get
        {
            lock (_gate)
            {
                if (_finished.Count < 2)
                {
                    return null;
                }
                var span = time.GetElapsedTime(_finished.Peek(), time.GetTimestamp()).TotalSeconds;
                return span <= 0 ? null : (_finished.Count - 1) / span;
            }
        }
    }

    // `ahead` requests must finish before a slot opens; at least one second, at most an hour.
    private TimeSpan EstimateWait(int ahead)
    {
        double? rate = null;
        if (_finished.Count >= 2)
        {
            var span = time.GetElapsedTime(_finished.Peek(), time.GetTimestamp()).TotalSeconds;
            rate = span > 0 ? (_finished.Count - 1) / span : null;
        }
        var seconds = rate is > 0 ? Math.Ceiling(Math.Max(1, ahead) / rate.Value) : 1;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 3600));
    }
}
