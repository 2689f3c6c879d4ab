using System.Security.Cryptography;
using System.Text;

namespace LlmSuite.Gateway.Caching;

/// <summary>
/// The cache key: <c>gw:cache:{tenant-hash}:{sha256(path, model, canonical body)}</c>. The tenant is part of the key,
/// so no entry is ever visible to another tenant.
/// </summary>
public static class PromptCacheKey
{
    /// <summary>Builds the key.</summary>
    public static string For(string tenant, string path, string? model, string canonicalBody)
    {
        var tenantHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)))[..16];
        var request = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{path}\n{model}\n{canonicalBody}")));
        return $"gw:cache:{tenantHash}:{request}";
    }
}
