using System.Text;
using System.Text.Json;

namespace LlmSuite.Gateway.Models;

/// <summary>Token usage from a response: OpenAI <c>usage</c> (JSON or the SSE chunk that carries it) or Ollama's counts.</summary>
public static class UsageReader
{
    /// <summary>(prompt, completion) tokens found in <paramref name="body"/>; (0, 0) when none.</summary>
    public static (long Prompt, long Completion) Read(ReadOnlySpan<byte> body, string? contentType)
    {
        if (contentType?.Contains("event-stream", StringComparison.OrdinalIgnoreCase) == true)
        {
            (long, long) last = (0, 0);
            foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    var found = FromJson(line.AsSpan(5).Trim().ToString());
                    if (found != (0, 0))
                    {
                        last = found;
                    }
                }
            }
            return last;
        }
        if (contentType?.Contains("ndjson", StringComparison.OrdinalIgnoreCase) == true)
        {
            var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == 0 ? (0, 0) : FromJson(lines[^1]);
        }
        return FromJson(Encoding.UTF8.GetString(body));
    }

    private static (long, long) FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (0, 0);
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                return (Number(usage, "prompt_tokens"), Number(usage, "completion_tokens"));
            }
            return (Number(root, "prompt_eval_count"), Number(root, "eval_count"));
        }
        catch (JsonException)
        {
            return (0, 0);
        }
    }

    private static long Number(JsonElement element, string name)
        => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;
}
