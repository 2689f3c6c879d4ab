using System.Text.Json;
using Microsoft.Extensions.Options;

namespace LlmSuite.Gateway.Routing;

/// <summary>Polls every replica's <c>/v1/models</c> into the <see cref="ModelCatalog"/>.</summary>
internal sealed class ModelCatalogPoller(
    ServiceDiscoveryProxyConfigProvider provider, BackendClient client, ModelCatalog catalog,
    IOptionsMonitor<GatewayOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RefreshAsync(stoppingToken);
            try
            {
                await Task.Delay(options.CurrentValue.ModelPollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Polls every replica once.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var addresses = provider.Destinations(ServiceDiscoveryProxyConfigProvider.InferenceCluster).Values
            .Concat(provider.Destinations(ServiceDiscoveryProxyConfigProvider.EmbeddingCluster).Values)
            .Select(d => d.Address);
        await Task.WhenAll(addresses.Select(async address =>
        {
            using var doc = await client.GetJsonAsync(address, "/v1/models", cancellationToken);
            if (doc is not null)
            {
                catalog.Set(address, ModelIds(doc.RootElement));
            }
        }));
    }

    /// <summary>The <c>data[].id</c> values of an OpenAI model list.</summary>
    public static IEnumerable<string> ModelIds(JsonElement list)
    {
        if (list.ValueKind == JsonValueKind.Object && list.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var model in data.EnumerateArray())
            {
                if (model.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    yield return id.GetString()!;
                }
            }
        }
    }
}
