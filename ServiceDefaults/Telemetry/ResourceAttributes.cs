using Microsoft.Extensions.Configuration;

namespace LlmSuite.ServiceDefaults.Telemetry;

/// <summary>Reads <c>OTEL_RESOURCE_ATTRIBUTES</c> (comma-separated key=value pairs, values percent-encoded).</summary>
public static class ResourceAttributes
{
    /// <summary>All attributes of <c>OTEL_RESOURCE_ATTRIBUTES</c>.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return result;
        }
        foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0)
            {
                result[pair[..eq].Trim()] = Uri.UnescapeDataString(pair[(eq + 1)..].Trim());
            }
        }
        return result;
    }

    /// <summary>The <c>service.instance.id</c> given by the orchestrator, or null.</summary>
    public static string? InstanceId(IConfiguration config)
        => Parse(config["OTEL_RESOURCE_ATTRIBUTES"]).TryGetValue("service.instance.id", out var id) ? id : null;
}
