namespace LlmSuite.AppHost.Hosting;

/// <summary>
/// The service projects built with the AppHost and their output assemblies, read from <c>service-projects.txt</c>
/// (written next to AppHost.dll by the build; see AppHost.csproj).
/// </summary>
internal sealed class ServiceProjects
{
    private readonly Dictionary<string, (string ProjectDirectory, string Assembly)> _byFolder;

    private ServiceProjects(Dictionary<string, (string, string)> byFolder) => _byFolder = byFolder;

    public static ServiceProjects Load(string appHostDirectory)
    {
        var map = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        var file = Path.Combine(appHostDirectory, "service-projects.txt");
        if (File.Exists(file))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                if (line.Split('|') is [var project, var assembly])
                {
                    var directory = Path.GetDirectoryName(project)!;
                    map[Path.GetFileName(directory)] = (directory, assembly);
                }
            }
        }
        return new ServiceProjects(map);
    }

    public (string ProjectDirectory, string Assembly) Find(string projectFolder)
    {
        if (!_byFolder.TryGetValue(projectFolder, out var entry))
        {
            throw new InvalidOperationException(
                $"'{projectFolder}' is not built with the AppHost: add <ServiceProject Include=\"..\\{projectFolder}\\{projectFolder}.csproj\" /> to AppHost/AppHost.csproj.");
        }
        if (!File.Exists(entry.Assembly))
        {
            throw new InvalidOperationException(
                $"'{entry.Assembly}' does not exist: build the suite first (dotnet run --project AppHost builds every service).");
        }
        return entry;
    }
}
