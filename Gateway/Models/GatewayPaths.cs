namespace LlmSuite.Gateway.Models;

/// <summary>The paths the gateway serves or forwards.</summary>
public static class GatewayPaths
{
    /// <summary>True for the OpenAI (<c>/v1/*</c>, <c>/tokenize</c>, <c>/detokenize</c>) and Ollama (<c>/api/*</c>) paths.</summary>
    public static bool IsApi(PathString path)
        => path.StartsWithSegments("/v1") || path.StartsWithSegments("/api")
        || path.StartsWithSegments("/tokenize") || path.StartsWithSegments("/detokenize");

    /// <summary>True for the generation paths whose answers carry token usage and may be cached.</summary>
    public static bool IsGeneration(PathString path)
        => path.StartsWithSegments("/v1/chat/completions") || path.StartsWithSegments("/v1/completions")
        || path.StartsWithSegments("/v1/embeddings") || path.StartsWithSegments("/api/chat")
        || path.StartsWithSegments("/api/generate") || path.StartsWithSegments("/api/embed")
        || path.StartsWithSegments("/api/embeddings");
}
