using System.Text;
using System.Text.Json;

namespace LlmSuite.Gateway.Models;

/// <summary>Parses OpenAI and Ollama request bodies into a <see cref="GatewayRequest"/>.</summary>
public static class RequestParser
{
    /// <summary>
    /// Parses <paramref name="body"/>; returns null when it is not a JSON object. The canonical body (the cache key) is
    /// built only for deterministic requests, the only ones the cache looks at.
    /// </summary>
    public static GatewayRequest? Parse(string path, ReadOnlyMemory<byte> body, string? conversationId)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var ollama = path.StartsWith("/api/", StringComparison.Ordinal);
            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var stream = root.TryGetProperty("stream", out var s)
                ? s.ValueKind == JsonValueKind.True
                : ollama && !path.StartsWith("/api/embed", StringComparison.Ordinal); // Ollama streams by default
            var deterministic = IsDeterministic(root, ollama);
            return new GatewayRequest
            {
                Model = model,
                Stream = stream,
                Deterministic = deterministic,
                PromptText = PromptText(root),
                CanonicalBody = deterministic ? Canonicalize(root) : "",
                ConversationId = string.IsNullOrEmpty(conversationId) ? null : conversationId,
            };
        }
    }

    private static bool IsDeterministic(JsonElement root, bool ollama)
    {
        var options = root;
        if (ollama)
        {
            if (!root.TryGetProperty("options", out options) || options.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
        }
        if (options.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number)
        {
            return true;
        }
        return options.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number && t.GetDouble() == 0;
    }

    /// <summary>
    /// The prompt flattened for affinity: each message's content then a separator (roles are left out so that prompts
    /// differ from their first character when their contents do); or <c>system</c>, <c>prompt</c>, <c>input</c>.
    /// </summary>
    public static string PromptText(JsonElement root)
    {
        var sb = new StringBuilder();
        if (root.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.String)
        {
            sb.Append(system.GetString()).Append('\u0002');
        }
        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                if (message.TryGetProperty("content", out var content))
                {
                    AppendText(sb, content);
                }
                sb.Append('\u0002');
            }
        }
        foreach (var name in (ReadOnlySpan<string>)["prompt", "input"])
        {
            if (root.TryGetProperty(name, out var prompt))
            {
                AppendText(sb, prompt);
            }
        }
        return sb.ToString();
    }

    private static void AppendText(StringBuilder sb, JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                sb.Append(content.GetString());
                break;
            case JsonValueKind.Array:
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text))
                    {
                        AppendText(sb, text);
                    }
                    else
                    {
                        AppendText(sb, part);
                    }
                    sb.Append('\u0003');
                }
                break;
            case JsonValueKind.Number:
                sb.Append(content.GetRawText());
                break;
        }
    }

    /// <summary>Re-serializes <paramref name="root"/> with object keys in ordinal order (whitespace-free).</summary>
    public static string Canonicalize(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
