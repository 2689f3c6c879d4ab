using System.Text.Json;

namespace LlmSuite.AppHost.Orchestration;

/// <summary>
/// <c>.suite/state.json</c>: the AppHost's pid, whether the suite is ready, and each replica's name, pid, URL, status
/// and restarts. Tools and tests read it instead of scraping console output.
/// </summary>
internal sealed class StateFile(string suiteDirectory)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly string _path = Path.Combine(suiteDirectory, "state.json");

    public void Write(bool ready, string? error, IEnumerable<ReplicaProcess> replicas)
    {
        var state = new
        {
            appHostPid = Environment.ProcessId,
            ready,
            error,
            resources = replicas.Select(r => new
            {
                name = r.Name,
                resource = r.Resource.Name,
                replica = r.Index,
                pid = r.Pid,
                port = r.Port,
                url = $"{r.Resource.Scheme}://127.0.0.1:{r.Port}",
                health = r.Resource.HealthProbe.Describe(r.Port),
                status = r.Status.ToString().ToLowerInvariant(),
                restarts = r.Restarts,
                environment = r.Environment,
            }),
        };
        var temp = _path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state, s_json));
        File.Move(temp, _path, overwrite: true);
    }
}
