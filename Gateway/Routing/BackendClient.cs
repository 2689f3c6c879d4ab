using System.Text.Json;

namespace LlmSuite.Gateway.Routing;

/// <summary>
/// The gateway's own calls to replicas (model lists), on a plain handler: no resilience retries, short timeouts, so
/// a dead replica costs at most <see cref="Timeout"/>.
/// </summary>
public sealed class BackendClient : IDisposable
{
    /// <summary>Per-call timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout,
    };

    /// <summary>GETs <paramref name="path"/> on <paramref name="address"/> as JSON; null on any failure.</summary>
    public async Task<JsonDocument?> GetJsonAsync(string address, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(new Uri(address.TrimEnd('/') + "/"), path.TrimStart('/')), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
