using System.Net.Sockets;
using System.Text;

namespace LlmSuite.AppHost.Resources;

/// <summary>Ready when Redis answers <c>PING</c> with <c>+PONG</c> (RESP over TCP; no client library needed).</summary>
public sealed class RedisPingProbe : IHealthProbe
{
    /// <inheritdoc />
    public async Task<string?> CheckAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = tcp.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) ? null : $"unexpected reply '{reply.Trim()}'";
        }
        catch (SocketException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }

    /// <inheritdoc />
    public string Describe(int port) => $"redis://127.0.0.1:{port} (PING)";
}
