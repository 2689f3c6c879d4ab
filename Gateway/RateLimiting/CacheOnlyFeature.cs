namespace LlmSuite.Gateway.RateLimiting;

/// <summary>
/// Set by the rate limiter when a key's token budget is spent but its request budget is not: the prompt cache may
/// still answer the request (a hit costs no tokens); anything it cannot answer is refused with <see cref="RejectAsync"/>.
/// </summary>
internal sealed class CacheOnlyFeature(Func<HttpContext, Task> reject)
{
    /// <summary>Whether the request was refused (the limiter then uncounts it).</summary>
    public bool Rejected { get; private set; }

    /// <summary>Writes the 429 the limiter would have written.</summary>
    public Task RejectAsync(HttpContext context)
    {
        Rejected = true;
        return reject(context);
    }
}
