namespace LlmSuite.Gateway.RateLimiting;

/// <summary>The outcome of a limit check for one request.</summary>
/// <param name="Allowed">False: answer 429.</param>
/// <param name="RequestLimit">Requests per minute (0 = unlimited).</param>
/// <param name="RequestsRemaining">Requests left in this window.</param>
/// <param name="TokenLimit">Tokens per minute (0 = unlimited).</param>
/// <param name="TokensRemaining">Tokens left in this window.</param>
/// <param name="Reset">Time until the window resets.</param>
/// <param name="Checked">False when Redis was unavailable (the decision followed FailOpen).</param>
/// <param name="TokensOnly">Denied only because the token budget is spent; the request is still counted (a prompt-cache
/// hit may answer it, else <see cref="RedisRateLimiter.ReleaseRequestAsync"/> uncounts it).</param>
public sealed record RateLimitDecision(bool Allowed, int RequestLimit, long RequestsRemaining, int TokenLimit, long TokensRemaining, TimeSpan Reset, bool Checked, bool TokensOnly = false);
