using System.Collections.Concurrent;
using LlmSuite.ServiceDefaults.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmSuite.ServiceDefaults.Tests.Telemetry;

/// <summary>A real OTLP/HTTP (protobuf) receiver: accepts <c>POST /v1/traces|metrics|logs</c> and keeps the bodies.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _requests = new();
    private TestWebApp? _app;

    public Uri Endpoint => _app!.Address;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._app = await TestWebApp.StartAsync(defaults: false, configureApp: app =>
            app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer);
                receiver._requests.Enqueue((signal, buffer.ToArray()));
                return Results.Bytes([], "application/x-protobuf");
            }));
        return receiver;
    }

    public IEnumerable<ProtoMessage> Requests(string signal)
        => _requests.Where(r => r.Signal == signal).Select(r => new ProtoMessage(r.Body));

    /// <summary>Every span: (resource attributes, span message).</summary>
    public IEnumerable<(Dictionary<string, string> Resource, ProtoMessage Span)> Spans()
        => from request in Requests("traces")
           from rs in request.Messages(1)
           let resource = rs.Message(1)?.Attributes(1) ?? []
           from ss in rs.Messages(2)
           from span in ss.Messages(2)
           select (resource, span);

    public IEnumerable<string> MetricNames()
        => from request in Requests("metrics")
           from rm in request.Messages(1)
           from sm in rm.Messages(2)
           from metric in sm.Messages(2)
           select metric.String(1)!;

    public IEnumerable<ProtoMessage> LogRecords()
        => from request in Requests("logs")
           from rl in request.Messages(1)
           from sl in rl.Messages(2)
           from record in sl.Messages(2)
           select record;

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
}
