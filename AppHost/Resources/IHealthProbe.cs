namespace LlmSuite.AppHost.Resources;

/// <summary>Checks whether a replica on a port is ready; returns null when healthy, else a short reason.</summary>
public interface IHealthProbe
{
    /// <summary>One probe attempt.</summary>
    Task<string?> CheckAsync(int port, CancellationToken cancellationToken);

    /// <summary>What the probe checks, for the resource table (<c>http://127.0.0.1:5000/health</c>).</summary>
    string Describe(int port);
}
