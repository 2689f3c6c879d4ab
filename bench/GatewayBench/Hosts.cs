using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LlmSuite.Gateway.Models;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Yarp.ReverseProxy.Model;

namespace LlmSuite.GatewayBench;

/// <summary>The processes a run needs: a trivial Kestrel backend, Redis, the gateway (in this process).</summary>
internal static class Hosts
{
    /// <summary>A trivial OpenAI-ish backend: a fixed JSON chat answer; with <paramref name="prefillMsPerNewKChar"/> it
    /// models a prefix cache (time proportional to the prompt characters it has not seen before, one request at a time).</summary>
    public static async Task<(WebApplication App, Uri Address)> StartBackendAsync(double prefillMsPerNewKChar = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var seen = new HashSet<string>();
        var compute = new SemaphoreSlim(1); // one prefill at a time, like a compute-bound replica
        app.MapGet("/health", () => "Healthy");
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = "tiny", @object = "model" } } }));
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (prefillMsPerNewKChar > 0)
            {
                var cached = 0;
                lock (seen)
                {
                    // the longest previously seen prefix (at 256-char granularity)
                    for (var n = 256; n <= body.Length; n += 256)
                    {
                        if (!seen.Add(body[..n]))
                        {
                            cached = n;
                        }
                    }
                }
                await compute.WaitAsync();
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds((body.Length - cached) / 1000.0 * prefillMsPerNewKChar));
                }
                finally
                {
                    compute.Release();
                }
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"c","object":"chat.completion","created":1,"model":"tiny","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""");
        });
        await app.StartAsync();
        return (app, Address(app));
    }

    /// <summary>The gateway over <paramref name="replicas"/> (auth off, the given policy); without
    /// <paramref name="serviceDefaults"/> it runs without the shared telemetry/health/request-id defaults (for attributing cost).
    /// <paramref name="proxied"/> sees every request after its response ended: its parsed body and the replica that served it.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartGatewayAsync(IEnumerable<Uri> replicas, string? redis, string policy,
        bool serviceDefaults = true, Action<GatewayRequest, string>? proxied = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new Dictionary<string, string?>
        {
            ["Gateway:Auth:Enabled"] = "false",
            ["Gateway:LoadBalancing:Policy"] = policy,
        };
        var i = 0;
        foreach (var replica in replicas)
        {
            config[$"services:inference:http:{i++}"] = replica.ToString();
        }
        if (redis is not null)
        {
            config["ConnectionStrings:redis"] = redis;
        }
        builder.Configuration.AddInMemoryCollection(config);
        if (serviceDefaults)
        {
            builder.AddServiceDefaults();
        }
        else
        {
            builder.Services.AddServiceDiscovery();
            LlmSuite.ServiceDefaults.Metrics.PrometheusEndpoint.AddPrometheusMetrics(builder.Services); // GatewayMetrics' gauges use it
        }
        builder.AddGatewayServices();
        var app = builder.Build();
        if (serviceDefaults)
        {
            app.MapDefaultEndpoints();
        }
        if (proxied is not null)
        {
            app.Use(async (context, next) =>
            {
                await next();
                if (context.Features.Get<GatewayRequest>() is { } request
                    && context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.DestinationId is { } replica)
                {
                    proxied(request, replica);
                }
            });
        }
        app.MapGateway();
        await app.StartAsync();
        return (app, Address(app));
    }

    /// <summary>Starts redis-server on a free port; returns the process and its connection string.</summary>
    public static (Process Process, string ConnectionString) StartRedis()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var process = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
        })!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return (process, $"127.0.0.1:{port}");
    }

    private static Uri Address(WebApplication app)
        => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
