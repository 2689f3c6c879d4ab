using System.Text.Json;

namespace LlmSuite.Engine.Formats.HuggingFace;

/// <summary>Typed, message-friendly reads of optional fields of a HF JSON config.</summary>
internal static class JsonRead
{
    public static JsonElement? Field(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static int? Int(JsonElement obj, string name, string source)
    {
        JsonElement? v = Field(obj, name);
        if (v is null)
        {
            return null;
        }
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt32(out int i))
        {
            return i;
        }
        throw new InvalidDataException($"{source}: field '{name}' must be an integer, got {v.Value.GetRawText()}");
    }

    public static double? Double(JsonElement obj, string name, string source)
    {
        JsonElement? v = Field(obj, name);
        if (v is null)
        {
            return null;
        }
        if (v.Value.ValueKind == JsonValueKind.Number)
        {
            return v.Value.GetDouble();
        }
        throw new InvalidDataException($"{source}: field '{name}' must be a number, got {v.Value.GetRawText()}");
    }

    public static bool? Bool(JsonElement obj, string name, string source)
    {
        JsonElement? v = Field(obj, name);
        if (v is null)
        {
            return null;
        }
        return v.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"{source}: field '{name}' must be true or false, got {v.Value.GetRawText()}"),
        };
    }

    public static string? String(JsonElement obj, string name, string source)
    {
        JsonElement? v = Field(obj, name);
        if (v is null)
        {
            return null;
        }
        return v.Value.ValueKind == JsonValueKind.String
            ? v.Value.GetString()
            : throw new InvalidDataException($"{source}: field '{name}' must be a string, got {v.Value.GetRawText()}");
    }

    /// <summary>An int or a list of ints (e.g. eos_token_id); empty when absent.</summary>
    public static int[] IntOrList(JsonElement obj, string name, string source)
    {
        JsonElement? v = Field(obj, name);
        if (v is null)
        {
            return Array.Empty<int>();
        }
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt32(out int one))
        {
            return new[] { one };
        }
        if (v.Value.ValueKind == JsonValueKind.Array)
        {
            return v.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int i)
                ? i : throw new InvalidDataException($"{source}: field '{name}' must list integers, got {e.GetRawText()}")).ToArray();
        }
        throw new InvalidDataException($"{source}: field '{name}' must be an integer or a list of integers, got {v.Value.GetRawText()}");
    }

    public static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON: {e.Message}", e);
        }
    }
}
