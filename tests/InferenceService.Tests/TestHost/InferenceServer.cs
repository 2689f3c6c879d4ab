using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSuite.InferenceService.Tests.TestHost;

/// <summary>
/// The real service on Kestrel at 127.0.0.1:&lt;free port&gt;, composed exactly as Program.cs composes it, over a
/// real model directory. Waits until /health is 200 (the default model is loaded).
/// </summary>
public sealed class InferenceServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InferenceServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<InferenceServer> StartAsync(params string[] settings)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", .. settings];
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddInferenceServices(args);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapInferenceApis();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new InferenceServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
        for (var i = 0; i < 600; i++)
        {
            using var health = await server.Http.GetAsync("health");
            if (health.IsSuccessStatusCode)
            {
                return server;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the default model did not load within a minute");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
