using System.Text.Json.Serialization;

namespace LlmSuite.InferenceService.Ollama;

/// <summary>A message of /api/chat.</summary>
public sealed record OllamaMessage(string Role, string Content);

/// <summary>A line of /api/chat (streamed) or its whole answer; the final one carries the counts and durations (ns).</summary>
public sealed record OllamaChatResponse(
    string Model,
    DateTimeOffset CreatedAt,
    OllamaMessage Message,
    bool Done,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DoneReason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TotalDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LoadDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PromptEvalCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? PromptEvalDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EvalCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EvalDuration = null);

/// <summary>A line of /api/generate.</summary>
public sealed record OllamaGenerateResponse(
    string Model,
    DateTimeOffset CreatedAt,
    string Response,
    bool Done,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DoneReason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TotalDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LoadDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PromptEvalCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? PromptEvalDuration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EvalCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EvalDuration = null);

/// <summary>details of a model.</summary>
public sealed record OllamaModelDetails(string ParentModel, string Format, string Family, IReadOnlyList<string> Families, string ParameterSize, string QuantizationLevel);

/// <summary>A model of /api/tags.</summary>
public sealed record OllamaTagModel(string Name, string Model, DateTimeOffset ModifiedAt, long Size, string Digest, OllamaModelDetails Details);

/// <summary>GET /api/tags.</summary>
public sealed record OllamaTags(IReadOnlyList<OllamaTagModel> Models);

/// <summary>A model of /api/ps.</summary>
public sealed record OllamaRunningModel(string Name, string Model, long Size, string Digest, OllamaModelDetails Details, DateTimeOffset ExpiresAt, long SizeVram, int ContextLength);

/// <summary>GET /api/ps.</summary>
public sealed record OllamaPs(IReadOnlyList<OllamaRunningModel> Models);

/// <summary>POST /api/show.</summary>
public sealed record OllamaShow(string Modelfile, string Parameters, string Template, OllamaModelDetails Details, Dictionary<string, object> ModelInfo, IReadOnlyList<string> Capabilities, DateTimeOffset ModifiedAt);

/// <summary>GET /api/version.</summary>
public sealed record OllamaVersion(string Version);

/// <summary>Ollama's error body: <c>{"error":"..."}</c>.</summary>
public sealed record OllamaError(string Error);
