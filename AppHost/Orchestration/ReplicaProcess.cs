using System.Diagnostics;
using LlmSuite.AppHost.Output;
using LlmSuite.AppHost.Resources;

namespace LlmSuite.AppHost.Orchestration;

/// <summary>The state of one replica, as shown in the status line and the state file.</summary>
public enum ReplicaStatus
{
    /// <summary>Not started yet (waiting for dependencies).</summary>
    Waiting,

    /// <summary>Started, not healthy yet.</summary>
    Starting,

    /// <summary>Healthy.</summary>
    Up,

    /// <summary>Crashed; a restart is scheduled.</summary>
    Restarting,

    /// <summary>Gave up (startup failure or too many crashes).</summary>
    Failed,

    /// <summary>Stopped by the AppHost.</summary>
    Stopped,
}

/// <summary>
/// One process of a resource: starts it with its environment, pipes its output to the console with a
/// <c>[name-i]</c> prefix, restarts it with exponential backoff when it crashes after having been up, and stops it
/// gracefully (SIGTERM, then SIGKILL after a grace period).
/// </summary>
internal sealed class ReplicaProcess
{
    private const int MaxRestarts = 10;
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    private readonly ProcessSpec _spec;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConsoleRenderer _console;
    private readonly Action _changed;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _gate = new();
    private Process? _process;
    private volatile bool _stopping;
    private DateTime _upSince;

    public ReplicaProcess(Resource resource, int index, int port, ProcessSpec spec, IReadOnlyDictionary<string, string> environment, ConsoleRenderer console, Action changed)
    {
        Resource = resource;
        Index = index;
        Port = port;
        _spec = spec;
        _environment = environment;
        _console = console;
        _changed = changed;
        Name = resource.ReplicaName(index);
    }

    public Resource Resource { get; }

    public int Index { get; }

    public int Port { get; }

    public string Name { get; }

    public ReplicaStatus Status { get; private set; } = ReplicaStatus.Waiting;

    public int Restarts { get; private set; }

    public int? Pid { get; private set; }

    public long? PidStartTime { get; private set; }

    /// <summary>The environment the process was given (for tests and the state file).</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>Exit code of the last run, when it exited.</summary>
    public int? LastExitCode { get; private set; }

    /// <summary>Completes when the process exits (each run replaces it).</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    /// <summary>The last lines the process printed (for error messages).</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return string.Join('\n', _lastLines);
        }
    }

    public void Start()
    {
        var psi = new ProcessStartInfo(_spec.FileName)
        {
            WorkingDirectory = _spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in _spec.Arguments)
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in _environment)
        {
            psi.Environment[key] = value;
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => OnLine(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, error: true);
        process.Exited += (_, _) => exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Pid = process.Id;
        PidStartTime = PosixProcess.StartTime(process.Id);
        Exited = exited.Task;
        SetStatus(ReplicaStatus.Starting);
    }

    private void OnLine(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 30)
            {
                _lastLines.Dequeue();
            }
        }
        _console.WriteLog(Name, Resource.Name, line, error);
    }

    public void MarkUp()
    {
        _upSince = DateTime.UtcNow;
        SetStatus(ReplicaStatus.Up);
    }

    public void MarkFailed() => SetStatus(ReplicaStatus.Failed);

    private void SetStatus(ReplicaStatus status)
    {
        if (Status != status)
        {
            Status = status;
            _changed();
        }
    }

    /// <summary>
    /// Watches the process after it was up: when it exits unexpectedly, restarts it after 1, 2, 4 … 30 s and waits
    /// for its health again; gives up after <see cref="MaxRestarts"/> crashes in a row.
    /// </summary>
    public async Task SuperviseAsync(TimeSpan healthTimeout, CancellationToken stopping)
    {
        var crashesInARow = 0;
        while (!stopping.IsCancellationRequested)
        {
            await Exited.WaitAsync(stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stopping.IsCancellationRequested || _stopping)
            {
                return;
            }
            LastExitCode = SafeExitCode();
            crashesInARow = DateTime.UtcNow - _upSince > TimeSpan.FromMinutes(1) ? 1 : crashesInARow + 1;
            if (crashesInARow > MaxRestarts)
            {
                _console.WriteInfo($"{Name} crashed {MaxRestarts} times in a row (exit code {LastExitCode}); giving up.");
                SetStatus(ReplicaStatus.Failed);
                return;
            }
            var backoff = TimeSpan.FromSeconds(Math.Min(s_maxBackoff.TotalSeconds, Math.Pow(2, crashesInARow - 1)));
            _console.WriteInfo($"{Name} exited with code {LastExitCode}; restarting in {backoff.TotalSeconds:0} s (attempt {crashesInARow}).");
            SetStatus(ReplicaStatus.Restarting);
            await Task.Delay(backoff, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stopping.IsCancellationRequested || _stopping)
            {
                return;
            }
            Restarts++;
            Start();
            var error = await HealthWaiter.WaitAsync(this, healthTimeout, stopping);
            if (error is null)
            {
                MarkUp();
            }
            else if (!stopping.IsCancellationRequested)
            {
                _console.WriteInfo($"{Name} did not come back: {error}");
            }
        }
    }

    private int? SafeExitCode()
    {
        try
        {
            return _process?.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/> (or until <paramref name="hurry"/>), then SIGKILL the tree.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken hurry)
    {
        _stopping = true;
        var process = _process;
        if (process is null)
        {
            SetStatus(ReplicaStatus.Stopped);
            return;
        }
        if (!process.HasExited)
        {
            PosixProcess.Terminate(process.Id);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(hurry);
            timeout.CancelAfter(grace);
            await Exited.WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!process.HasExited)
            {
                _console.WriteInfo(hurry.IsCancellationRequested
                    ? $"{Name}: second signal; killing it."
                    : $"{Name} did not stop within {grace.TotalSeconds:0} s; killing it.");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        await process.WaitForExitAsync(CancellationToken.None); // drains the output pipes
        LastExitCode = SafeExitCode();
        process.Dispose();
        SetStatus(ReplicaStatus.Stopped);
    }
}
