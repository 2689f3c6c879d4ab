namespace LlmSuite.InferenceService.Models;

/// <summary>Loads the default model at startup (so /health turns 200), then unloads idle models after their keep-alive.</summary>
internal sealed partial class ModelLifetime(ModelRegistry registry, ILogger<ModelLifetime> logger, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (registry.Default is { } entry)
        {
            try
            {
                await registry.GetOrLoadAsync(entry).WaitAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DefaultLoadFailed(logger, entry.Name, entry.Path, e);
            }
        }
        else
        {
            Log.NoDefault(logger);
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            registry.UnloadExpired();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Error, "Loading the default model {Name} from {Path} failed; /health stays 503")]
        public static partial void DefaultLoadFailed(ILogger logger, string name, string path, Exception exception);

        [LoggerMessage(11, LogLevel.Warning, "No default model: set Inference:Model (--model) or bundle models/default; /health stays 503")]
        public static partial void NoDefault(ILogger logger);
    }
}
