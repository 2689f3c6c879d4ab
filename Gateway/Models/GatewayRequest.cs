namespace LlmSuite.Gateway.Models;

/// <summary>What the gateway learned from a JSON request body (stored as an HttpContext feature).</summary>
public sealed class GatewayRequest
{
    /// <summary>The request's <c>model</c>, if any.</summary>
    public string? Model { get; init; }

    /// <summary>True when the client asked for a stream (OpenAI <c>stream: true</c>; Ollama streams unless <c>stream: false</c>).</summary>
    public bool Stream { get; init; }

    /// <summary>Temperature 0 or a seed: the answer is reproducible, so it may be cached.</summary>
    public bool Deterministic { get; init; }

    /// <summary>The prompt as text (chat messages flattened in order) for prefix affinity.</summary>
    public string PromptText { get; init; } = "";

    /// <summary>The body re-serialized with sorted object keys (the cache key's request part); empty unless <see cref="Deterministic"/>.</summary>
    public string CanonicalBody { get; init; } = "";

    /// <summary>The <c>x-conversation-id</c> header, if sent.</summary>
    public string? ConversationId { get; init; }
}
