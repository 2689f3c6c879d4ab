using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmSuite.ServiceDefaults.Tests.Metrics;

/// <summary>A strict reader of the Prometheus text format 0.0.4 for assertions, plus the real <c>promtool</c> as the oracle.</summary>
public static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<k>[a-zA-Z_][a-zA-Z0-9_]*)="(?<v>(\\.|[^"\\])*)",?""")]
    private static partial Regex LabelPair();

    public static (List<Sample> Samples, Dictionary<string, string> Types) Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.True(types.TryAdd(parts[2], parts[3]), $"duplicate TYPE for {parts[2]}");
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a valid sample line: {line}");
            var labels = new Dictionary<string, string>();
            foreach (Match pair in LabelPair().Matches(m.Groups["labels"].Value))
            {
                labels[pair.Groups["k"].Value] = Regex.Unescape(pair.Groups["v"].Value);
            }
            var raw = m.Groups["value"].Value;
            var value = raw switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, _ => double.Parse(raw, CultureInfo.InvariantCulture) };
            samples.Add(new Sample(m.Groups["name"].Value, labels, value));
        }
        return (samples, types);
    }

    /// <summary>Runs <c>promtool check metrics</c> (Debian package prometheus) on the text; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string text)
    {
        var promtool = File.Exists("/usr/bin/promtool") ? "/usr/bin/promtool"
            : throw new InvalidOperationException("promtool is missing: run ./test.sh (it installs the Debian package 'prometheus').");
        var psi = new ProcessStartInfo(promtool, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
