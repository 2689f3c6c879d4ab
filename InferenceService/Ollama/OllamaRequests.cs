using System.Text.Json;

namespace LlmSuite.InferenceService.Ollama;

/// <summary>Model options of an Ollama request (<c>options</c>); unknown ones are ignored like Ollama does.</summary>
public sealed class OllamaOptions
{
    public int? NumPredict { get; set; }
    public int? NumCtx { get; set; }
    public float? Temperature { get; set; }
    public int? TopK { get; set; }
    public float? TopP { get; set; }
    public float? MinP { get; set; }
    public float? RepeatPenalty { get; set; }
    public float? PresencePenalty { get; set; }
    public float? FrequencyPenalty { get; set; }
    public List<string>? Stop { get; set; }
    public long? Seed { get; set; }
}

/// <summary>Fields both /api/chat and /api/generate have.</summary>
public abstract class OllamaRequest
{
    public string? Model { get; set; }
    public bool? Stream { get; set; }
    public JsonElement? Format { get; set; }
    public OllamaOptions? Options { get; set; }
    public JsonElement? KeepAlive { get; set; }
}

/// <summary>POST /api/chat.</summary>
public sealed class OllamaChatRequest : OllamaRequest
{
    public List<JsonElement>? Messages { get; set; }
    public List<JsonElement>? Tools { get; set; }
}

/// <summary>POST /api/generate.</summary>
public sealed class OllamaGenerateRequest : OllamaRequest
{
    public string? Prompt { get; set; }
    public string? System { get; set; }
    public bool? Raw { get; set; }
    public string? Suffix { get; set; }
}

/// <summary>POST /api/show.</summary>
public sealed class OllamaShowRequest
{
    public string? Model { get; set; }
    public string? Name { get; set; }
}
