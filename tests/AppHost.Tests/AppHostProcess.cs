using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace LlmSuite.AppHost.Tests;

/// <summary>The real AppHost started as a child process (as <c>dotnet run --project AppHost</c> would), with its own suite directory.</summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppHostProcess(Process process, string suiteDirectory)
    {
        _process = process;
        SuiteDirectory = suiteDirectory;
    }

    public string SuiteDirectory { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("Suite.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>AppHost.dll in the AppHost's own output folder (where the build wrote service-projects.txt):
    /// a sibling of this test assembly's folder, <c>{artifacts}/bin/AppHost/{config}/</c>.</summary>
    public static string AppHostDll
    {
        get
        {
            var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // {artifacts}/bin/AppHost.Tests/{config}
            var dll = Path.Combine(testDir.Parent!.Parent!.FullName, "AppHost", testDir.Name, "AppHost.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build Suite.sln first.");
        }
    }

    public static AppHostProcess Start(string suiteDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(AppHostDll);
        psi.ArgumentList.Add("--suite-dir");
        psi.ArgumentList.Add(suiteDirectory);
        psi.ArgumentList.Add("--port"); // tests run AppHosts side by side: the gateway takes any free port
        psi.ArgumentList.Add("0");
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        var process = Process.Start(psi)!;
        var host = new AppHostProcess(process, suiteDirectory);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Reads .suite/state.json (null until written).</summary>
    public JsonElement? State()
    {
        var path = Path.Combine(SuiteDirectory, "state.json");
        try
        {
            return File.Exists(path) ? JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone() : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public async Task<JsonElement> WaitUntilAsync(Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (State() is { } state && state.GetProperty("appHostPid").GetInt32() == _process.Id && condition(state))
            {
                return state;
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"AppHost exited with {_process.ExitCode}:\n{Output}");
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"condition not met within {timeout}. State: {State()}\nOutput:\n{Output}");
    }

    public Task<JsonElement> WaitReadyAsync() => WaitUntilAsync(
        s => s.GetProperty("appHostPid").GetInt32() == _process.Id && s.GetProperty("ready").GetBoolean(), TimeSpan.FromSeconds(120));

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    public static void Signal(int pid, int signal) => Kill(pid, signal);

    /// <summary>What Ctrl+C sends.</summary>
    public void Interrupt() => Signal(_process.Id, 2);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public static bool IsAlive(int pid)
    {
        if (Kill(pid, 0) != 0)
        {
            return false;
        }
        var stat = File.Exists($"/proc/{pid}/stat") ? File.ReadAllText($"/proc/{pid}/stat") : "";
        return stat.Length > 0 && stat[(stat.LastIndexOf(')') + 2)] != 'Z';
    }

    public static bool PortAccepts(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        // Children a failed test may have left: kill them through the state file.
        if (State() is { } state)
        {
            foreach (var r in state.GetProperty("resources").EnumerateArray())
            {
                if (r.GetProperty("pid").ValueKind == JsonValueKind.Number && IsAlive(r.GetProperty("pid").GetInt32()))
                {
                    Signal(r.GetProperty("pid").GetInt32(), 9);
                }
            }
        }
        _process.Dispose();
    }
}
