using System.Net;
using System.Net.Sockets;

namespace LlmSuite.AppHost.Orchestration;

/// <summary>Free TCP ports on 127.0.0.1, never the same twice in one run.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _given = [];

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
