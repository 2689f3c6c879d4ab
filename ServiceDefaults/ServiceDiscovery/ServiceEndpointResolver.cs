using Microsoft.Extensions.Configuration;

namespace LlmSuite.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves logical service names from Aspire's configuration convention: the environment variable
/// <c>services__{name}__{scheme}__{index}</c> is the configuration key <c>services:{name}:{scheme}:{index}</c>.
/// A URI like <c>http://inference</c> or <c>https+http://inference</c> (https preferred, http otherwise) resolves
/// to every endpoint of that scheme; callers pick one with <see cref="Next"/> (round-robin).
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    private int _counter = -1;

    /// <summary>All endpoints of <paramref name="serviceName"/> for the first of <paramref name="schemes"/> that has any.</summary>
    public IReadOnlyList<Uri> Resolve(string serviceName, params string[] schemes)
    {
        var service = configuration.GetSection("services").GetSection(serviceName);
        foreach (var scheme in schemes)
        {
            var endpoints = new List<(int Index, Uri Uri)>();
            foreach (var child in service.GetSection(scheme).GetChildren())
            {
                if (Uri.TryCreate(child.Value, UriKind.Absolute, out var uri))
                {
                    endpoints.Add((int.TryParse(child.Key, out var i) ? i : int.MaxValue, uri));
                }
            }
            if (endpoints.Count > 0)
            {
                return [.. endpoints.OrderBy(e => e.Index).Select(e => e.Uri)];
            }
        }
        return [];
    }

    /// <summary>
    /// Rewrites a logical URI (<c>http://name/path</c>, <c>https+http://name/path</c>) to a concrete endpoint, or returns
    /// null when the host is not a configured service (the URI is then used as it is).
    /// </summary>
    public Uri? Next(Uri logical)
    {
        var schemes = logical.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var endpoints = Resolve(logical.Host, schemes);
        if (endpoints.Count == 0)
        {
            return null;
        }
        var pick = endpoints[(int)((uint)Interlocked.Increment(ref _counter) % (uint)endpoints.Count)];
        var builder = new UriBuilder(logical) { Scheme = pick.Scheme, Host = pick.Host, Port = pick.Port };
        if (pick.AbsolutePath.Length > 1)
        {
            builder.Path = pick.AbsolutePath.TrimEnd('/') + logical.AbsolutePath;
        }
        return builder.Uri;
    }
}
