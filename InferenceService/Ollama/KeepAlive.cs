using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmSuite.InferenceService.Generation;

namespace LlmSuite.InferenceService.Ollama;

/// <summary>Ollama's keep_alive: seconds as a number, or a Go duration ("5m", "1h30m", "-1"); negative = forever.</summary>
public static partial class KeepAlive
{
    /// <summary>The duration, or null when absent.</summary>
    public static TimeSpan? Parse(JsonElement? value)
    {
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number)
        {
            return Seconds(v.GetDouble());
        }
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { } s)
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return Seconds(seconds);
            }
            var match = GoDuration().Match(s);
            if (match.Success)
            {
                var total = TimeSpan.Zero;
                foreach (Capture c in match.Groups["part"].Captures)
                {
                    var part = PartRegex().Match(c.Value);
                    var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                    total += part.Groups[2].Value switch
                    {
                        "h" => TimeSpan.FromHours(n),
                        "m" => TimeSpan.FromMinutes(n),
                        "s" => TimeSpan.FromSeconds(n),
                        "ms" => TimeSpan.FromMilliseconds(n),
                        "ns" => TimeSpan.FromTicks((long)(n / 100)),
                        _ => TimeSpan.FromMicroseconds(n),
                    };
                }
                return match.Groups["sign"].Value == "-" ? TimeSpan.FromSeconds(-1) : total;
            }
        }
        throw ApiException.BadRequest($"keep_alive must be a number of seconds or a duration such as \"5m\", got {v.GetRawText()}.", "keep_alive");
    }

    private static TimeSpan Seconds(double seconds) => seconds < 0 ? TimeSpan.FromSeconds(-1) : TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)$")]
    private static partial Regex PartRegex();
}
