using System.Text;

namespace LlmSuite.ServiceDefaults.Metrics;

/// <summary>
/// OpenTelemetry → Prometheus names, as the OTel Prometheus exporter does: invalid characters become '_', the unit
/// becomes a suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>), counters end in <c>_total</c>.
/// Colons are kept, so vLLM-style names such as <c>vllm:num_requests_running</c> pass through unchanged; and since
/// OpenTelemetry instrument names may not contain ':', an instrument named <c>vllm.num_requests_running</c> is exposed
/// as <c>vllm:num_requests_running</c> (the namespace prefixes in <see cref="ColonNamespaces"/>).
/// </summary>
public static class PrometheusNaming
{
    /// <summary>Namespaces written <c>ns:</c> in Prometheus (recording-rule style, as vLLM does) and <c>ns.</c> in OpenTelemetry.</summary>
    public static readonly string[] ColonNamespaces = ["vllm"];

    /// <summary>The metric family name for an instrument.</summary>
    public static string MetricName(string instrumentName, string? unit, PrometheusType type)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        foreach (var ns in ColonNamespaces)
        {
            if (instrumentName.StartsWith(ns + ".", StringComparison.Ordinal))
            {
                name = ns + ":" + name[(ns.Length + 1)..];
            }
        }
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }
        if (type == PrometheusType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }
        return name;
    }

    /// <summary>A valid label name (no colons).</summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>The Prometheus suffix of a UCUM unit; annotations in braces (<c>{request}</c>) and "1" give none.</summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit) || unit == "1" || unit.StartsWith('{'))
        {
            return "";
        }
        return unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "us" => "microseconds",
            "ns" => "nanoseconds",
            "min" => "minutes",
            "h" => "hours",
            "By" => "bytes",
            "KiBy" => "kibibytes",
            "MiBy" => "mebibytes",
            "GiBy" => "gibibytes",
            "%" => "percent",
            _ => Sanitize(unit.Replace("/", "_per_", StringComparison.Ordinal), allowColon: false).Trim('_'),
        };
    }

    private static string Sanitize(string value, bool allowColon)
    {
        var sb = new StringBuilder(value.Length + 1);
        foreach (var c in value)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (allowColon && c == ':');
            sb.Append(ok ? c : '_');
        }
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }
        return sb.ToString();
    }
}

/// <summary>Prometheus metric family types.</summary>
public enum PrometheusType
{
    /// <summary>Monotonic total.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Cumulative buckets, sum and count.</summary>
    Histogram,
}
