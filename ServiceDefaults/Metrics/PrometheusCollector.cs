using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace LlmSuite.ServiceDefaults.Metrics;

/// <summary>
/// Collects every instrument of every <see cref="Meter"/> in the process with a <see cref="MeterListener"/> and writes
/// the Prometheus text exposition format 0.0.4 (no Prometheus exporter package is served, so this is ours).
/// Counters and up-down counters accumulate, gauges keep the last value, histograms keep cumulative buckets taken from
/// the instrument's advice (<see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/>) or OpenTelemetry's defaults.
/// Observable instruments are read at scrape time.
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    /// <summary>The content type of the exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    internal static readonly double[] DefaultSecondsBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    internal static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Func<Meter, bool> _meterFilter;
    private readonly Lock _scrapeGate = new();

    /// <summary>Starts listening to every meter accepted by <paramref name="meterFilter"/> (all when null).</summary>
    public PrometheusCollector(Func<Meter, bool>? meterFilter = null)
    {
        _meterFilter = meterFilter ?? (static _ => true);
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<byte>(static (i, m, t, s) => ((InstrumentState)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<short>(static (i, m, t, s) => ((InstrumentState)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<int>(static (i, m, t, s) => ((InstrumentState)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<long>(static (i, m, t, s) => ((InstrumentState)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<float>(static (i, m, t, s) => ((InstrumentState)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<double>(static (i, m, t, s) => ((InstrumentState)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<decimal>(static (i, m, t, s) => ((InstrumentState)s!).Record((double)m, t));
        _listener.Start();
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter))
        {
            return;
        }
        var state = InstrumentState.Create(instrument);
        if (state is not null && _instruments.TryAdd(instrument, state))
        {
            listener.EnableMeasurementEvents(instrument, state);
        }
    }

    /// <summary>Reads observable instruments and writes the whole exposition.</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            _listener.RecordObservableInstruments();
            var families = new SortedDictionary<string, List<InstrumentState>>(StringComparer.Ordinal);
            foreach (var state in _instruments.Values)
            {
                if (!families.TryGetValue(state.Name, out var list))
                {
                    families[state.Name] = list = [];
                }
                list.Add(state);
            }

            var sb = new StringBuilder(16 * 1024);
            foreach (var (name, states) in families)
            {
                var first = states[0];
                var help = states.Select(s => s.Instrument.Description).FirstOrDefault(d => !string.IsNullOrEmpty(d))
                    ?? first.Instrument.Name;
                sb.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
                sb.Append("# TYPE ").Append(name).Append(' ').Append(first.Type.ToString().ToLowerInvariant()).Append('\n');
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var state in states.Where(s => s.Type == first.Type))
                {
                    foreach (var series in state.Series)
                    {
                        if (seen.Add(LabelKey(series.Labels)))
                        {
                            WriteSeries(sb, name, first.Type, series);
                        }
                    }
                }
            }
            return sb.ToString();
        }
    }

    private static void WriteSeries(StringBuilder sb, string name, PrometheusType type, MetricSeries series)
    {
        if (type != PrometheusType.Histogram)
        {
            WriteSample(sb, name, series.Labels, null, series.Value);
            return;
        }
        var (buckets, sum, count) = series.Snapshot();
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += buckets[i];
            var le = i < series.Bounds!.Length ? FormatNumber(series.Bounds[i]) : "+Inf";
            WriteSample(sb, name + "_bucket", series.Labels, le, cumulative);
        }
        WriteSample(sb, name + "_sum", series.Labels, null, sum);
        WriteSample(sb, name + "_count", series.Labels, null, count);
    }

    private static void WriteSample(StringBuilder sb, string name, KeyValuePair<string, string>[] labels, string? le, double value)
    {
        sb.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            sb.Append('{');
            var firstLabel = true;
            foreach (var (key, val) in labels)
            {
                if (!firstLabel)
                {
                    sb.Append(',');
                }
                firstLabel = false;
                sb.Append(key).Append("=\"");
                AppendEscapedLabelValue(sb, val);
                sb.Append('"');
            }
            if (le is not null)
            {
                sb.Append(firstLabel ? "" : ",").Append("le=\"").Append(le).Append('"');
            }
            sb.Append('}');
        }
        sb.Append(' ').Append(FormatNumber(value)).Append('\n');
    }

    internal static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void AppendEscapedLabelValue(StringBuilder sb, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => sb.Append("\\\\"),
                '"' => sb.Append("\\\""),
                '\n' => sb.Append("\\n"),
                _ => sb.Append(c),
            };
        }
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string LabelKey(KeyValuePair<string, string>[] labels) => string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value));

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
