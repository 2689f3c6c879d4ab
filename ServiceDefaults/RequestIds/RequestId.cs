namespace LlmSuite.ServiceDefaults.RequestIds;

/// <summary>
/// The request id that travels UI → gateway → engine (<c>x-request-id</c>). It is the handle for logs, traces and
/// cancellation. <see cref="Current"/> flows with the async context so outgoing HttpClient calls forward it.
/// </summary>
public static class RequestId
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "x-request-id";

    /// <summary>Longest id accepted from a client; longer or malformed ids are replaced by a generated one.</summary>
    public const int MaxLength = 128;

    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>The id of the request being served on this async flow, or null outside a request.</summary>
    public static string? Current
    {
        get => s_current.Value;
        internal set => s_current.Value = value;
    }

    /// <summary>A new id: 32 lowercase hex characters.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>True when a client-supplied id is safe to echo and log (printable ASCII without spaces, bounded).</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }
        return true;
    }
}
