namespace LlmSuite.Gateway.Auth;

/// <summary>Writes the configured keys' hashes to Redis at startup, retrying every 30 s until Redis accepts them.</summary>
internal sealed class ApiKeyPublisher(ApiKeyStore store, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && !await store.PublishAsync())
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
