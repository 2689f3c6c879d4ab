using LlmSuite.AppHost.Orchestration;
using LlmSuite.AppHost.Resources;

namespace LlmSuite.AppHost.Hosting;

/// <summary>The built application model; <see cref="RunAsync"/> starts it and runs until Ctrl+C or SIGTERM.</summary>
public sealed class DistributedApplication
{
    internal DistributedApplication(AppHostOptions options, IReadOnlyList<Resource> resources, string suiteDirectory)
    {
        Options = options;
        Resources = resources;
        SuiteDirectory = suiteDirectory;
    }

    /// <summary>The parsed command line.</summary>
    public AppHostOptions Options { get; }

    /// <summary>Every resource, in declaration order.</summary>
    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>Runtime state directory.</summary>
    public string SuiteDirectory { get; }

    /// <summary>Where logs and status go (the console by default; tests capture it).</summary>
    internal Output.ConsoleRenderer Console { get; init; } = Output.ConsoleRenderer.ForConsole();

    /// <summary>Creates the builder from the command line.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    /// <summary>Starts everything, waits for a signal, stops everything. Returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        using var shutdown = new ShutdownSignal();
        await using var orchestrator = new Orchestrator(this);
        return await orchestrator.RunAsync(shutdown.Token, shutdown.Hurry);
    }
}
