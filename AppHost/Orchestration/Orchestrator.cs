using LlmSuite.AppHost.Hosting;
using LlmSuite.AppHost.Output;
using LlmSuite.AppHost.Resources;

namespace LlmSuite.AppHost.Orchestration;

/// <summary>
/// Runs the application model: allocates ports, starts each resource once the resources it waits for are healthy,
/// waits for every replica's health, prints the resource table, supervises (restarts crashed replicas), and on a
/// signal stops everything, dependants first, leaving no process behind.
/// </summary>
internal sealed class Orchestrator : IAsyncDisposable
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(10);

    private readonly DistributedApplication _app;
    private readonly ConsoleRenderer _console;
    private readonly Dictionary<Resource, List<ReplicaProcess>> _replicas = [];
    private readonly StateFile _state;
    private readonly StaleProcesses _pids;
    private readonly Lock _gate = new();
    private FileStream? _lock;
    private bool _ready;
    private string? _error;

    public Orchestrator(DistributedApplication app)
    {
        _app = app;
        _console = app.Console;
        Directory.CreateDirectory(app.SuiteDirectory);
        _state = new StateFile(app.SuiteDirectory);
        _pids = new StaleProcesses(app.SuiteDirectory);
    }

    private IEnumerable<ReplicaProcess> AllReplicas => _app.Resources.SelectMany(r => _replicas[r]);

    public async Task<int> RunAsync(CancellationToken shutdown, CancellationToken hurry)
    {
        if (!TryTakeLock())
        {
            return 1;
        }
        foreach (var leftover in _pids.KillLeftovers())
        {
            _console.WriteInfo($"killed {leftover}, left running by a previous AppHost that did not shut down");
        }
        if (_app.Resources.Count == 0)
        {
            _console.WriteInfo("the application model has no resources.");
            return 0;
        }

        try
        {
            CreateReplicas();
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"apphost: {e.Message}");
            return 1;
        }
        OnChanged(); // replaces a previous run's state file
        _console.WriteInfo($"starting {string.Join(", ", _app.Resources.Select(r => r.Replicas > 1 ? $"{r.Name} ×{r.Replicas}" : r.Name))}");
        var started = await StartAllAsync(shutdown);
        if (started)
        {
            _console.WriteBlock(ResourceTable.Render([.. AllReplicas], _app.SuiteDirectory));
            _ready = true;
            OnChanged();
            var supervisors = AllReplicas.Select(r => r.SuperviseAsync(_app.Options.HealthTimeout, shutdown)).ToList();
            await Task.Delay(Timeout.Infinite, shutdown).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _console.WriteInfo("stopping …");
            await StopAllAsync(hurry);
            await Task.WhenAll(supervisors);
        }
        else
        {
            await StopAllAsync(hurry);
        }
        _pids.Delete();
        _console.WriteInfo(started ? "stopped." : "stopped after a startup failure.");
        return started || shutdown.IsCancellationRequested ? 0 : 1;
    }

    private bool TryTakeLock()
    {
        var path = Path.Combine(_app.SuiteDirectory, "apphost.lock");
        try
        {
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            Console.Error.WriteLine($"apphost: another AppHost is running with {_app.SuiteDirectory} (lock: {path}). Stop it first, or use --suite-dir.");
            return false;
        }
    }

    private void CreateReplicas()
    {
        var ports = new PortAllocator();
        var portsByResource = _app.Resources.ToDictionary(r => r, r => r.FixedPort is { } port
            ? (IReadOnlyList<int>)[ports.Fixed(port, r.Name)]
            : [.. Enumerable.Range(0, r.Replicas).Select(_ => ports.Next())]);
        foreach (var resource in _app.Resources)
        {
            var list = new List<ReplicaProcess>();
            for (var i = 0; i < resource.Replicas; i++)
            {
                var port = portsByResource[resource][i];
                var spec = resource.CreateProcess(i, port, _app.SuiteDirectory);
                var env = EnvironmentBuilder.Build(resource, i, spec, r => portsByResource[r], Environment.GetEnvironmentVariable);
                list.Add(new ReplicaProcess(resource, i, port, spec, env, _console, OnChanged));
            }
            _replicas[resource] = list;
        }
    }

    /// <summary>Starts every resource after its dependencies; false (with the error printed) if any fails to become healthy.</summary>
    private async Task<bool> StartAllAsync(CancellationToken shutdown)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var healthy = new Dictionary<Resource, Task<bool>>();
        foreach (var resource in _app.Resources)
        {
            var dependencies = resource.WaitsFor.Select(d => healthy.TryGetValue(d, out var t)
                ? t
                : throw new InvalidOperationException($"'{resource.Name}' waits for '{d.Name}', which must be declared before it")).ToList();
            healthy[resource] = StartResourceAsync(resource, dependencies, failed);
        }
        var results = await Task.WhenAll(healthy.Values);
        return results.All(ok => ok) && !shutdown.IsCancellationRequested;
    }

    private async Task<bool> StartResourceAsync(Resource resource, List<Task<bool>> dependencies, CancellationTokenSource failed)
    {
        var ok = (await Task.WhenAll(dependencies)).All(d => d);
        if (!ok || failed.IsCancellationRequested)
        {
            return false;
        }
        var replicas = _replicas[resource];
        foreach (var replica in replicas)
        {
            try
            {
                replica.Start();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                Fail(replica, $"{replica.Name} could not be started: {e.Message}", failed);
                return false;
            }
        }
        OnChanged();
        var errors = await Task.WhenAll(replicas.Select(r => HealthWaiter.WaitAsync(r, _app.Options.HealthTimeout, failed.Token)));
        for (var i = 0; i < replicas.Count; i++)
        {
            if (errors[i] is null)
            {
                replicas[i].MarkUp();
            }
            else if (!failed.IsCancellationRequested)
            {
                Fail(replicas[i], errors[i]!, failed);
            }
        }
        return errors.All(e => e is null);
    }

    private void Fail(ReplicaProcess replica, string error, CancellationTokenSource failed)
    {
        _error = error;
        replica.MarkFailed();
        _console.WriteInfo("error: " + error);
        failed.Cancel();
    }

    private async Task StopAllAsync(CancellationToken hurry)
    {
        foreach (var resource in _app.Resources.Reverse())
        {
            await Task.WhenAll(_replicas[resource].Select(r => r.StopAsync(s_grace, hurry)));
        }
    }

    private void OnChanged()
    {
        lock (_gate)
        {
            var replicas = AllReplicas.ToList();
            _console.SetStatus(replicas.Select(r => (r.Name, r.Status.ToString().ToLowerInvariant())));
            _state.Write(_ready, _error, replicas);
            _pids.Write(replicas);
        }
    }

    public ValueTask DisposeAsync()
    {
        _lock?.Dispose();
        return ValueTask.CompletedTask;
    }
}
