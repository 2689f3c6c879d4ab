namespace LlmSuite.Gateway.Caching;

/// <summary>Exact-match response cache for deterministic requests.</summary>
public interface IPromptCache
{
    /// <summary>True when lookups can currently succeed.</summary>
    bool IsAvailable { get; }

    /// <summary>The entry for <paramref name="key"/>, or null (miss or Redis down).</summary>
    Task<CachedResponse?> GetAsync(string key);

    /// <summary>Stores <paramref name="response"/> for the configured TTL (best effort).</summary>
    Task SetAsync(string key, CachedResponse response);
}
