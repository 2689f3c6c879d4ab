using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LlmSuite.Gateway.Tests.TestHost;

/// <summary>A real <c>redis-server</c> on a free loopback port, without persistence; can be killed and restarted on the same port.</summary>
public sealed class RedisServer : IDisposable
{
    private const string ServerPath = "/usr/bin/redis-server";
    private Process? _process;

    /// <summary>Starts the server.</summary>
    public RedisServer()
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException($"{ServerPath} is missing: run ./test.sh (it installs redis-server) or `apt-get install -y redis-server`.");
        }
        Port = FreePort();
        Start();
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The connection string the gateway reads from <c>ConnectionStrings:redis</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts (or restarts) the server and waits until it accepts connections.</summary>
    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(ServerPath, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException($"redis-server did not listen on {Port} within 10 s.");
    }

    /// <summary>Kills the server (as in an outage).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>A free loopback TCP port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc/>
    public void Dispose() => Kill();
}
