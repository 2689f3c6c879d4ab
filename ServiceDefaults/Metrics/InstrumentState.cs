using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace LlmSuite.ServiceDefaults.Metrics;

/// <summary>An instrument's Prometheus family name, type, aggregation and its series by label set.</summary>
internal sealed class InstrumentState
{
    private enum Aggregation
    {
        Sum,
        LastValue,
        Histogram,
    }

    [ThreadStatic]
    private static char[]? t_key;

    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MetricSeries>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Aggregation _aggregation;
    private readonly double[]? _bounds;

    private InstrumentState(Instrument instrument, PrometheusType type, Aggregation aggregation, double[]? bounds)
    {
        Instrument = instrument;
        Type = type;
        _aggregation = aggregation;
        _bounds = bounds;
        _bySpan = _series.GetAlternateLookup<ReadOnlySpan<char>>();
        Name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, type);
    }

    public Instrument Instrument { get; }

    public string Name { get; }

    public PrometheusType Type { get; }

    public ICollection<MetricSeries> Series => _series.Values;

    /// <summary>The state for a supported instrument kind, or null.</summary>
    public static InstrumentState? Create(Instrument instrument)
    {
        var definition = instrument.GetType().GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return new(instrument, PrometheusType.Counter, Aggregation.Sum, null);
        }
        if (definition == typeof(ObservableCounter<>))
        {
            return new(instrument, PrometheusType.Counter, Aggregation.LastValue, null);
        }
        if (definition == typeof(UpDownCounter<>))
        {
            return new(instrument, PrometheusType.Gauge, Aggregation.Sum, null);
        }
        if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>))
        {
            return new(instrument, PrometheusType.Gauge, Aggregation.LastValue, null);
        }
        if (definition == typeof(Histogram<>))
        {
            return new(instrument, PrometheusType.Histogram, Aggregation.Histogram, BucketBounds(instrument));
        }
        return null;
    }

    private static double[] BucketBounds(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(x => (double)x).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(x => (double)x).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(x => (double)x).ToArray(),
            _ => null,
        };
        if (advised is { Length: > 0 })
        {
            Array.Sort(advised);
            return advised;
        }
        return instrument.Unit == "s" ? PrometheusCollector.DefaultSecondsBounds : PrometheusCollector.DefaultBounds;
    }

    public void Record<T>(T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct, IConvertible
    {
        var value = measurement.ToDouble(CultureInfo.InvariantCulture);
        var series = GetSeries(tags);
        switch (_aggregation)
        {
            case Aggregation.Sum:
                series.Add(value);
                break;
            case Aggregation.LastValue:
                series.Set(value);
                break;
            default:
                series.Observe(value);
                break;
        }
    }

    /// <summary>
    /// The series of a tag set. A known series is found through a key written into a per-thread buffer (tag values
    /// formatted in place), so a measurement allocates nothing; a new series allocates its key and labels once.
    /// </summary>
    private MetricSeries GetSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return _series.GetOrAdd("", static (_, bounds) => new MetricSeries([], bounds), _bounds);
        }
        var buffer = t_key ??= new char[256];
        int length;
        while (!TryWriteKey(tags, buffer, out length))
        {
            buffer = t_key = new char[buffer.Length * 2];
        }
        ReadOnlySpan<char> key = buffer.AsSpan(0, length);
        if (_bySpan.TryGetValue(key, out var existing))
        {
            return existing;
        }
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(PrometheusNaming.LabelName(tags[i].Key), Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }
        Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return _series.GetOrAdd(key.ToString(), new MetricSeries(labels, _bounds));
    }

    /// <summary>key = (name \u0002 value \u0001)* with values formatted invariantly; false when the buffer is too small.</summary>
    private static bool TryWriteKey(ReadOnlySpan<KeyValuePair<string, object?>> tags, Span<char> buffer, out int length)
    {
        length = 0;
        foreach (var tag in tags)
        {
            if (!Append(buffer, ref length, tag.Key) || !Append(buffer, ref length, "\u0002"))
            {
                return false;
            }
            switch (tag.Value)
            {
                case null:
                    break;
                case string text:
                    if (!Append(buffer, ref length, text))
                    {
                        return false;
                    }
                    break;
                case ISpanFormattable formattable:
                    if (!formattable.TryFormat(buffer[length..], out int written, default, CultureInfo.InvariantCulture))
                    {
                        return false;
                    }
                    length += written;
                    break;
                default:
                    if (!Append(buffer, ref length, Convert.ToString(tag.Value, CultureInfo.InvariantCulture)))
                    {
                        return false;
                    }
                    break;
            }
            if (!Append(buffer, ref length, "\u0001"))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Append(Span<char> buffer, ref int length, ReadOnlySpan<char> text)
    {
        if (!text.TryCopyTo(buffer[length..]))
        {
            return false;
        }
        length += text.Length;
        return true;
    }
}
