namespace LlmSuite.AppHost.Resources;

/// <summary>Ready when <c>GET http://127.0.0.1:{port}{path}</c> answers 2xx.</summary>
public sealed class HttpHealthProbe(string path) : IHealthProbe
{
    private static readonly HttpClient s_client = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <inheritdoc />
    public async Task<string?> CheckAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s_client.GetAsync(Describe(port), cancellationToken);
            return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }

    /// <inheritdoc />
    public string Describe(int port) => $"http://127.0.0.1:{port}{path}";
}
