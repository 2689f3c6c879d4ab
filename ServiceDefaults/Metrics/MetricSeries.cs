namespace LlmSuite.ServiceDefaults.Metrics;

/// <summary>One time series: an instrument's state for one label set. Thread-safe.</summary>
internal sealed class MetricSeries(KeyValuePair<string, string>[] labels, double[]? bounds)
{
    private readonly object _gate = new();
    private double _value;
    private readonly long[]? _bucketCounts = bounds is null ? null : new long[bounds.Length + 1];
    private double _sum;
    private long _count;

    /// <summary>Label names (already sanitized) and values, sorted by name.</summary>
    public KeyValuePair<string, string>[] Labels { get; } = labels;

    /// <summary>Upper bounds of the histogram buckets (without +Inf), or null.</summary>
    public double[]? Bounds { get; } = bounds;

    public void Add(double delta)
    {
        lock (_gate)
        {
            _value += delta;
        }
    }

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Observe(double value)
    {
        var bounds = Bounds!;
        var i = 0;
        while (i < bounds.Length && value > bounds[i])
        {
            i++;
        }
        lock (_gate)
        {
            _bucketCounts![i]++;
            _sum += value;
            _count++;
        }
    }

    public double Value => Volatile.Read(ref _value);

    /// <summary>A consistent copy of the histogram state (per-bucket, non-cumulative counts).</summary>
    public (long[] Buckets, double Sum, long Count) Snapshot()
    {
        lock (_gate)
        {
            return ((long[])_bucketCounts!.Clone(), _sum, _count);
        }
    }
}
