namespace LlmSuite.AppHost.Orchestration;

/// <summary>
/// The pid file of the children this AppHost started (<c>.suite/apphost.pids</c>). A later AppHost kills what a
/// previous one left behind if that one was killed without a chance to clean up (SIGKILL, power loss).
/// </summary>
internal sealed class StaleProcesses(string suiteDirectory)
{
    private readonly string _path = Path.Combine(suiteDirectory, "apphost.pids");

    /// <summary>Kills the processes of a previous run that are still alive; returns their descriptions.</summary>
    public List<string> KillLeftovers()
    {
        var killed = new List<string>();
        if (!File.Exists(_path))
        {
            return killed;
        }
        foreach (var line in File.ReadAllLines(_path))
        {
            if (line.Split(' ', 3) is [var pidText, var startText, var name]
                && int.TryParse(pidText, out var pid) && long.TryParse(startText, out var start)
                && PosixProcess.StartTime(pid) == start && PosixProcess.IsAlive(pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
                    killed.Add($"{name} (pid {pid})");
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    // exited meanwhile
                }
            }
        }
        File.Delete(_path);
        return killed;
    }

    /// <summary>Records the current children.</summary>
    public void Write(IEnumerable<ReplicaProcess> replicas)
    {
        var lines = replicas.Where(r => r.Pid is not null && r.PidStartTime is not null && r.Status != ReplicaStatus.Stopped)
            .Select(r => $"{r.Pid} {r.PidStartTime} {r.Name}");
        File.WriteAllLines(_path, lines);
    }

    public void Delete() => File.Delete(_path);
}
