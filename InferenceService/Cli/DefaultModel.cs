namespace LlmSuite.InferenceService.Cli;

/// <summary>Where the bundled default model is: <c>models/default</c> of the repository this binary was built from.</summary>
internal static class DefaultModel
{
    public static string Path()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "models", "default");
            if (File.Exists(System.IO.Path.Combine(candidate, "config.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("the bundled model (models/default) was not found above " + AppContext.BaseDirectory + "; pass --model");
    }
}
