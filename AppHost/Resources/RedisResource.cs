namespace LlmSuite.AppHost.Resources;

/// <summary>
/// <c>redis-server</c> bound to 127.0.0.1 on a free port, without persistence (no RDB, no AOF), its working
/// directory under the suite directory. Referencing resources receive <c>ConnectionStrings__{name}</c>.
/// </summary>
public sealed class RedisResource(string name, string redisServerPath) : Resource(name)
{
    /// <inheritdoc />
    public override string Scheme => "tcp";

    /// <inheritdoc />
    public override IHealthProbe HealthProbe { get; } = new RedisPingProbe();

    /// <inheritdoc />
    public override string? ConnectionString(IReadOnlyList<int> ports) => $"127.0.0.1:{ports[0]}";

    /// <inheritdoc />
    public override ProcessSpec CreateProcess(int index, int port, string suiteDirectory)
    {
        var dataDirectory = Path.Combine(suiteDirectory, ReplicaName(index));
        Directory.CreateDirectory(dataDirectory);
        return new ProcessSpec(redisServerPath,
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", dataDirectory,
            "--daemonize", "no",
            "--protected-mode", "yes",
            .. Args,
        ], dataDirectory);
    }
}
