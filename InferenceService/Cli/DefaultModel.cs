using System.Reflection;

namespace LlmSuite.InferenceService.Cli;

/// <summary>
/// Where the bundled default model is: <c>models/default</c> of the repository this binary was built from (recorded at
/// build time), or above the binary's folder.
/// </summary>
internal static class DefaultModel
{
    public static string Path()
    {
        var recorded = typeof(DefaultModel).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        var starts = new[] { recorded, AppContext.BaseDirectory }.OfType<string>();
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "models", "default");
                if (File.Exists(System.IO.Path.Combine(candidate, "config.json")))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException($"the bundled model (models/default) was not found above {recorded ?? AppContext.BaseDirectory}; pass --model");
    }
}
