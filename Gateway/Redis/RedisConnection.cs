using LlmSuite.Gateway.Metrics;
using StackExchange.Redis;

namespace LlmSuite.Gateway.Redis;

/// <summary>
/// The gateway's one Redis connection (<c>ConnectionStrings:redis</c>), made with <c>abortConnect=false</c> so it
/// starts while Redis is down and reconnects by itself. Every caller goes through <see cref="TryAsync{T}"/>: a
/// failure returns the fallback, is counted, and logged once per outage.
/// </summary>
public sealed partial class RedisConnection : IDisposable
{
    private readonly ConnectionMultiplexer? _multiplexer;
    private readonly ILogger<RedisConnection> _logger;
    private readonly GatewayMetrics _metrics;
    private int _outage;

    /// <summary>Connects (without blocking on failure) when a connection string is configured.</summary>
    public RedisConnection(IConfiguration configuration, ILogger<RedisConnection> logger, GatewayMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
        var connectionString = configuration.GetConnectionString("redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            LogNotConfigured(logger);
            return;
        }
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.ConnectRetry = 1;
        _multiplexer = ConnectionMultiplexer.Connect(options);
        _multiplexer.ConnectionFailed += (_, e) => ReportOutage(e.Exception);
        _multiplexer.ConnectionRestored += (_, _) => ReportRestored();
        metrics.RedisUp = () => IsAvailable;
        if (!_multiplexer.IsConnected)
        {
            ReportOutage(null);
        }
    }

    /// <summary>True when a connection string is configured.</summary>
    public bool IsConfigured => _multiplexer is not null;

    /// <summary>True when Redis is configured and connected.</summary>
    public bool IsAvailable => _multiplexer?.IsConnected == true;

    /// <summary>When the current outage began (null while connected).</summary>
    public DateTimeOffset? OutageSince { get; private set; }

    /// <summary>Runs <paramref name="operation"/>; on any Redis failure returns <paramref name="fallback"/> and ok=false.</summary>
    public async Task<(bool Ok, T Value)> TryAsync<T>(Func<IDatabase, Task<T>> operation, T fallback)
    {
        if (_multiplexer is null || !_multiplexer.IsConnected)
        {
            return (false, fallback);
        }
        try
        {
            return (true, await operation(_multiplexer.GetDatabase()));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            _metrics.RedisError();
            ReportOutage(e);
            return (false, fallback);
        }
    }

    private void ReportOutage(Exception? e)
    {
        if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            OutageSince = DateTimeOffset.UtcNow;
            LogOutage(_logger, e?.Message ?? "not connected");
        }
    }

    private void ReportRestored()
    {
        if (_multiplexer?.IsConnected == true && Interlocked.Exchange(ref _outage, 0) == 1)
        {
            OutageSince = null;
            LogRestored(_logger);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _multiplexer?.Dispose();

    [LoggerMessage(1, LogLevel.Warning, "Redis is unavailable ({Reason}); serving without cache, limits per Gateway:RateLimiting:FailOpen. Logged once per outage.")]
    private static partial void LogOutage(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information, "Redis connection restored.")]
    private static partial void LogRestored(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "ConnectionStrings:redis is not set: prompt cache, shared limits and usage are off.")]
    private static partial void LogNotConfigured(ILogger logger);
}
