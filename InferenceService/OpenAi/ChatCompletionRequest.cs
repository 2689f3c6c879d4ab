using System.Text.Json;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>POST /v1/chat/completions.</summary>
public sealed class ChatCompletionRequest : SamplingRequest
{
    public List<JsonElement>? Messages { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public bool? Logprobs { get; set; }
    public int? TopLogprobs { get; set; }
    public List<JsonElement>? Tools { get; set; }
    public JsonElement? ToolChoice { get; set; }
    public JsonElement? ResponseFormat { get; set; }
    public Dictionary<string, JsonElement>? ChatTemplateKwargs { get; set; }
    public bool? AddGenerationPrompt { get; set; }
}

/// <summary>POST /v1/completions.</summary>
public sealed class CompletionRequest : SamplingRequest
{
    public JsonElement? Prompt { get; set; }
    public int? Logprobs { get; set; }
    public bool? Echo { get; set; }
    public string? Suffix { get; set; }
    public int? BestOf { get; set; }
}

/// <summary>POST /tokenize (vLLM): a prompt or a conversation.</summary>
public sealed class TokenizeRequest
{
    public string? Model { get; set; }
    public string? Prompt { get; set; }
    public List<JsonElement>? Messages { get; set; }
    public bool? AddSpecialTokens { get; set; }
    public bool? AddGenerationPrompt { get; set; }
    public bool? ReturnTokenStrs { get; set; }
}

/// <summary>POST /detokenize (vLLM).</summary>
public sealed class DetokenizeRequest
{
    public string? Model { get; set; }
    public List<int>? Tokens { get; set; }
}
