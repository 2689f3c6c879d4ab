namespace LlmSuite.AppHost.Resources;

/// <summary>Any executable that listens on the port passed through <c>PORT</c> and answers an HTTP health path.</summary>
public sealed class ExecutableResource(string name, string fileName, string workingDirectory, string healthPath) : Resource(name)
{
    /// <inheritdoc />
    public override string Scheme => "http";

    /// <inheritdoc />
    public override IHealthProbe HealthProbe { get; } = new HttpHealthProbe(healthPath);

    /// <inheritdoc />
    public override ProcessSpec CreateProcess(int index, int port, string suiteDirectory)
        => new(fileName, [.. Args.Select(a => a.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))], workingDirectory)
        {
            Environment = { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
}
