using System.Text.Json.Serialization;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>usage.</summary>
public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails? PromptTokensDetails);

/// <summary>usage.prompt_tokens_details.</summary>
public sealed record PromptTokensDetails(int CachedTokens);

/// <summary>A chat message of a response.</summary>
public sealed record ChatResponseMessage(string Role, string? Content);

/// <summary>A streamed message delta.</summary>
public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

/// <summary>One token's logprob in a chat response.</summary>
public sealed record ChatTokenLogprob(string Token, float Logprob, int[]? Bytes, IReadOnlyList<ChatTopLogprob> TopLogprobs);

/// <summary>An alternative token.</summary>
public sealed record ChatTopLogprob(string Token, float Logprob, int[]? Bytes);

/// <summary>choices[].logprobs of a chat response.</summary>
public sealed record ChatLogprobs(IReadOnlyList<ChatTokenLogprob> Content);

/// <summary>A choice of a chat completion.</summary>
public sealed record ChatChoice(int Index, ChatResponseMessage Message, ChatLogprobs? Logprobs, string? FinishReason, object? StopReason);

/// <summary>The chat completion object.</summary>
public sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<ChatChoice> Choices, Usage Usage)
{
    public string Object => "chat.completion";

    public string? SystemFingerprint => null;
}

/// <summary>A choice of a streamed chunk.</summary>
public sealed record ChatChunkChoice(int Index, ChatDelta Delta, ChatLogprobs? Logprobs, string? FinishReason);

/// <summary>The chat.completion.chunk object.</summary>
public sealed record ChatCompletionChunk(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<ChatChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Usage? Usage)
{
    public string Object => "chat.completion.chunk";
}

/// <summary>choices[].logprobs of a text completion (the legacy format).</summary>
public sealed record CompletionLogprobs(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<float?> TokenLogprobs,
    IReadOnlyList<Dictionary<string, float>?> TopLogprobs,
    IReadOnlyList<int> TextOffset);

/// <summary>A choice of a text completion (also a streamed chunk's choice).</summary>
public sealed record CompletionChoice(int Index, string Text, CompletionLogprobs? Logprobs, string? FinishReason);

/// <summary>The text_completion object.</summary>
public sealed record Completion(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<CompletionChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Usage? Usage)
{
    public string Object => "text_completion";
}

/// <summary>GET /v1/models.</summary>
public sealed record ModelList(IReadOnlyList<ModelCard> Data)
{
    public string Object => "list";
}

/// <summary>A model of /v1/models.</summary>
public sealed record ModelCard(
    string Id,
    long Created,
    string OwnedBy,
    string Root,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxModelLen)
{
    public string Object => "model";
}

/// <summary>POST /tokenize response.</summary>
public sealed record TokenizeResponse(
    int Count,
    int MaxModelLen,
    IReadOnlyList<int> Tokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? TokenStrs);

/// <summary>POST /detokenize response.</summary>
public sealed record DetokenizeResponse(string Prompt);
