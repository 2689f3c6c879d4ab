using System.Reflection;
using LlmSuite.AppHost.Prerequisites;
using LlmSuite.AppHost.Resources;

namespace LlmSuite.AppHost.Hosting;

/// <summary>Builds the application model (what <c>Aspire.Hosting.DistributedApplicationBuilder</c> does for Aspire).</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly ServiceProjects _projects;

    internal DistributedApplicationBuilder(string[] args)
    {
        try
        {
            Options = AppHostOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"apphost: {e.Message}");
            Console.Error.WriteLine(AppHostOptions.Usage);
            Environment.Exit(2);
            throw;
        }
        if (Options.ShowHelp)
        {
            Console.WriteLine(AppHostOptions.Usage);
            Environment.Exit(0);
        }
        RepoRoot = typeof(DistributedApplicationBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value ?? Directory.GetCurrentDirectory();
        SuiteDirectory = Path.GetFullPath(Options.SuiteDirectory ?? Path.Combine(RepoRoot, ".suite"));
        _projects = ServiceProjects.Load(AppContext.BaseDirectory);
    }

    /// <summary>The parsed command line.</summary>
    public AppHostOptions Options { get; }

    /// <summary>The repository root (where <c>Suite.sln</c> is).</summary>
    public string RepoRoot { get; }

    /// <summary>Runtime state directory (Redis data, pid file, state file).</summary>
    public string SuiteDirectory { get; }

    /// <summary>The model the inference service serves: <c>--model</c> or the bundled default.</summary>
    public string ModelPath => Path.GetFullPath(Options.Model ?? Path.Combine(RepoRoot, "models", "default"));

    /// <summary>Adds <c>redis-server</c> (installed with apt when missing and permitted), or nothing with <c>--no-redis</c>.</summary>
    public ResourceBuilder<RedisResource>? AddRedis(string name)
    {
        if (Options.NoRedis)
        {
            return null;
        }
        var path = RedisServerLocator.FindOrInstall(Console.Out);
        return Add(new RedisResource(name, path));
    }

    /// <summary>Adds a service project by its folder name (built with the AppHost; see AppHost.csproj).</summary>
    public ResourceBuilder<ProjectResource> AddProject(string name, string projectFolder)
    {
        var (projectDirectory, assembly) = _projects.Find(projectFolder);
        return Add(new ProjectResource(name, projectDirectory, assembly));
    }

    /// <summary>Adds any executable that serves HTTP on <c>$PORT</c> (or <c>{port}</c> in its arguments).</summary>
    public ResourceBuilder<ExecutableResource> AddExecutable(string name, string fileName, string workingDirectory, string healthPath, params string[] args)
        => Add(new ExecutableResource(name, fileName, workingDirectory, healthPath)).WithArgs(args);

    private ResourceBuilder<T> Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"a resource named '{resource.Name}' already exists");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource);
    }

    /// <summary>Freezes the model.</summary>
    public DistributedApplication Build() => new(Options, _resources, SuiteDirectory);
}
