using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSuite.Gateway.Routing;

/// <summary><c>GET /v1/models</c> and <c>GET /api/tags</c>: every replica's list, merged (first occurrence of an id wins).</summary>
internal static class ModelListEndpoints
{
    public static async Task<IResult> GetOpenAiModels(
        ServiceDiscoveryProxyConfigProvider provider, BackendClient client, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var merged = await MergeAsync(provider, client, "/v1/models", "data", "id", catalog, cancellationToken);
        return Results.Json(new JsonObject { ["object"] = "list", ["data"] = merged });
    }

    public static async Task<IResult> GetOllamaTags(
        ServiceDiscoveryProxyConfigProvider provider, BackendClient client, CancellationToken cancellationToken)
    {
        var merged = await MergeAsync(provider, client, "/api/tags", "models", "name", null, cancellationToken);
        return Results.Json(new JsonObject { ["models"] = merged });
    }

    private static async Task<JsonArray> MergeAsync(ServiceDiscoveryProxyConfigProvider provider, BackendClient client,
        string path, string listProperty, string idProperty, ModelCatalog? catalog, CancellationToken cancellationToken)
    {
        var addresses = provider.Destinations(ServiceDiscoveryProxyConfigProvider.InferenceCluster).Values
            .Concat(provider.Destinations(ServiceDiscoveryProxyConfigProvider.EmbeddingCluster).Values)
            .Select(d => d.Address).ToArray();
        var documents = await Task.WhenAll(addresses.Select(a => client.GetJsonAsync(a, path, cancellationToken)));
        var merged = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Length; i++)
        {
            using var doc = documents[i];
            if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty(listProperty, out var list) || list.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            if (catalog is not null)
            {
                catalog.Set(addresses[i], ModelCatalogPoller.ModelIds(doc.RootElement));
            }
            foreach (var item in list.EnumerateArray())
            {
                if (item.TryGetProperty(idProperty, out var id) && id.ValueKind == JsonValueKind.String && seen.Add(id.GetString()!))
                {
                    merged.Add(JsonNode.Parse(item.GetRawText()));
                }
            }
        }
        return merged;
    }
}
