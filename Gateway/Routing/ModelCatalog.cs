using System.Collections.Concurrent;
using Yarp.ReverseProxy.Model;

namespace LlmSuite.Gateway.Routing;

/// <summary>Which replica (by destination address) serves which models, as last polled from its <c>/v1/models</c>.</summary>
public sealed class ModelCatalog
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _models = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces the models known for <paramref name="address"/>.</summary>
    public void Set(string address, IEnumerable<string> models) => _models[Normalize(address)] = [.. models];

    /// <summary>The models last seen on <paramref name="address"/> (empty when unknown).</summary>
    public IReadOnlyCollection<string> ModelsOf(string address)
        => _models.TryGetValue(Normalize(address), out var set) ? set : [];

    /// <summary>
    /// The destinations serving <paramref name="model"/>; all of <paramref name="destinations"/> when the model is
    /// null or no destination is known to serve it (a replica may load it on demand).
    /// </summary>
    public IReadOnlyList<DestinationState> FilterByModel(IReadOnlyList<DestinationState> destinations, string? model)
    {
        if (model is null || destinations.Count <= 1)
        {
            return destinations;
        }
        List<DestinationState>? serving = null;
        foreach (var d in destinations)
        {
            if (_models.TryGetValue(Normalize(d.Model.Config.Address), out var set) && set.Contains(model))
            {
                (serving ??= []).Add(d);
            }
        }
        return serving ?? destinations;
    }

    private static string Normalize(string address) => address.TrimEnd('/');
}
