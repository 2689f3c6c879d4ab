namespace LlmSuite.AppHost.Resources;

/// <summary>
/// A resource of the application model: something the AppHost starts as one or more processes (replicas), with an
/// endpoint per replica, a health probe, environment, references to other resources and resources it waits for.
/// </summary>
public abstract class Resource(string name)
{
    /// <summary>Logical name (<c>inference</c>), used in service discovery keys and log prefixes.</summary>
    public string Name { get; } = name;

    /// <summary>Number of processes to run.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>Resources whose endpoints/connection strings this one receives.</summary>
    public List<Resource> References { get; } = [];

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Extra environment variables.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra command-line arguments.</summary>
    public List<string> Args { get; } = [];

    /// <summary>A fixed port for a single-replica resource (the address users type); null = a free port.</summary>
    public int? FixedPort { get; set; }

    /// <summary>The scheme of the replicas' endpoints (<c>http</c>, <c>tcp</c>).</summary>
    public abstract string Scheme { get; }

    /// <summary>How to tell a replica is ready.</summary>
    public abstract IHealthProbe HealthProbe { get; }

    /// <summary>The connection string others receive as <c>ConnectionStrings__{Name}</c>, or null for none.</summary>
    public virtual string? ConnectionString(IReadOnlyList<int> ports) => null;

    /// <summary>The executable and arguments of replica <paramref name="index"/> listening on <paramref name="port"/>.</summary>
    public abstract ProcessSpec CreateProcess(int index, int port, string suiteDirectory);

    /// <summary>The name of one replica: <c>name</c> when single, <c>name-i</c> otherwise.</summary>
    public string ReplicaName(int index) => Replicas == 1 ? Name : $"{Name}-{index}";
}

/// <summary>What to start for one replica.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>Environment specific to this process (added to the orchestrator's).</summary>
    public Dictionary<string, string> Environment { get; init; } = new(StringComparer.Ordinal);
}
