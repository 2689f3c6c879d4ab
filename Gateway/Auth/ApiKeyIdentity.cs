namespace LlmSuite.Gateway.Auth;

/// <summary>The authenticated caller (an HttpContext feature): key id (hash prefix), tenant and limits.</summary>
/// <param name="KeyId">First 16 hex digits of the key's SHA-256 (safe to log and to use in Redis keys).</param>
/// <param name="Tenant">Cache and usage scope.</param>
/// <param name="RequestsPerMinute">0 = unlimited.</param>
/// <param name="TokensPerMinute">0 = unlimited.</param>
public sealed record ApiKeyIdentity(string KeyId, string Tenant, int RequestsPerMinute, int TokensPerMinute)
{
    /// <summary>The identity of every request when auth is off.</summary>
    public static ApiKeyIdentity Anonymous { get; } = new("anonymous", "anonymous", 0, 0);
}
