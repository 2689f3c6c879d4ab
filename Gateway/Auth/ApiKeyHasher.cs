using System.Security.Cryptography;
using System.Text;

namespace LlmSuite.Gateway.Auth;

/// <summary>API keys are kept only as SHA-256 hex (in memory and in Redis, key <c>gw:apikey:{hash}</c>).</summary>
public static class ApiKeyHasher
{
    /// <summary>Lower-case hex SHA-256 of the UTF-8 key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
