using System.Net;
using System.Net.Sockets;

namespace LlmSuite.AppHost.Orchestration;

/// <summary>Free TCP ports on 127.0.0.1, never the same twice in one run.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _given = [];

    /// <summary>Reserves <paramref name="port"/>; fails with a clear message when something already listens there.</summary>
    public int Fixed(int port, string resourceName)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException)
        {
            throw new InvalidOperationException(
                $"port {port} for '{resourceName}' is in use: stop what listens there, or choose another with --port N (0 = any free port)");
        }
        return _given.Add(port) ? port : throw new InvalidOperationException($"port {port} is given twice");
    }

    public int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (_given.Add(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException("could not find a free TCP port on 127.0.0.1");
    }
}
