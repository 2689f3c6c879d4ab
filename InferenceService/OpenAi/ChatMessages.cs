using System.Text;
using System.Text.Json;
using LlmSuite.Engine.Chat;
using LlmSuite.InferenceService.Generation;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>OpenAI messages → <see cref="ChatMessage"/>s, with a 400 naming the exact message and field at fault.</summary>
public static class ChatMessages
{
    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "developer", "user", "assistant", "tool" };

    /// <summary>Parses the messages array (non-empty; text content only).</summary>
    public static List<ChatMessage> Parse(IReadOnlyList<JsonElement>? messages, string param = "messages")
    {
        if (messages is null || messages.Count == 0)
        {
            throw ApiException.BadRequest($"'{param}' must be a non-empty array of messages.", param);
        }
        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            var at = $"{param}[{i}]";
            if (m.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest($"'{at}' must be an object with 'role' and 'content'.", at, "invalid_type");
            }
            var role = m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : null;
            if (role is null || !Roles.Contains(role))
            {
                throw ApiException.BadRequest($"'{at}.role' must be one of system, developer, user, assistant, tool.", $"{at}.role", "invalid_value");
            }
            var content = Content(m, at);
            List<IReadOnlyDictionary<string, object?>>? toolCalls = null;
            if (m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                toolCalls = [.. calls.EnumerateArray().Select(c => (IReadOnlyDictionary<string, object?>)ToDictionary(c))];
            }
            if (content is null && toolCalls is null && role != "assistant")
            {
                throw ApiException.BadRequest($"'{at}.content' is required for role '{role}'.", $"{at}.content");
            }
            result.Add(new ChatMessage(role == "developer" ? "system" : role, content)
            {
                Name = StringProperty(m, "name"),
                ToolCallId = StringProperty(m, "tool_call_id"),
                ToolCalls = toolCalls,
                ReasoningContent = StringProperty(m, "reasoning_content"),
            });
        }
        return result;
    }

    private static string? Content(JsonElement message, string at)
    {
        if (!message.TryGetProperty("content", out var c) || c.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (c.ValueKind == JsonValueKind.String)
        {
            return c.GetString();
        }
        if (c.ValueKind == JsonValueKind.Array)
        {
            var text = new StringBuilder();
            var k = 0;
            foreach (var part in c.EnumerateArray())
            {
                var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
                if (type != "text" || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                {
                    throw ApiException.BadRequest($"'{at}.content[{k}]': only text parts ({{\"type\":\"text\",\"text\":...}}) are supported, got type '{type}'.", $"{at}.content[{k}]", "invalid_value");
                }
                text.Append(partText.GetString());
                k++;
            }
            return text.ToString();
        }
        throw ApiException.BadRequest($"'{at}.content' must be a string, an array of content parts or null.", $"{at}.content", "invalid_type");
    }

    private static string? StringProperty(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Dictionary<string, object?> ToDictionary(JsonElement e)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                d[p.Name] = p.Value.Clone();
            }
        }
        return d;
    }
}
