namespace LlmSuite.AppHost.Resources;

/// <summary>
/// A .NET service of the suite, started from its build output (<c>dotnet Service.dll</c>) with
/// <c>ASPNETCORE_URLS=http://127.0.0.1:{port}</c>; healthy when its <c>/health</c> answers 2xx.
/// </summary>
public sealed class ProjectResource(string name, string projectDirectory, string assemblyPath) : Resource(name)
{
    /// <summary>The project folder (the working directory, as with <c>dotnet run</c>).</summary>
    public string ProjectDirectory { get; } = projectDirectory;

    /// <summary>The built entry assembly.</summary>
    public string AssemblyPath { get; } = assemblyPath;

    /// <summary>The readiness path probed before dependants start.</summary>
    public string HealthPath { get; set; } = "/health";

    /// <inheritdoc />
    public override string Scheme => "http";

    /// <inheritdoc />
    public override IHealthProbe HealthProbe => new HttpHealthProbe(HealthPath);

    /// <inheritdoc />
    public override ProcessSpec CreateProcess(int index, int port, string suiteDirectory)
        => new("dotnet", [AssemblyPath, .. Args], ProjectDirectory)
        {
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            },
        };
}
