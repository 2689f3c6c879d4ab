using System.Net;
using LlmSuite.ServiceDefaults.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmSuite.ServiceDefaults.Tests.Resilience;

public class ResilienceTests
{
    private static IHost ClientHost(Uri backend) => BuildHost(new Dictionary<string, string?>
    {
        ["services:flaky:http:0"] = backend.ToString(),
        ["Resilience:RetryBaseDelay"] = "00:00:00.001",
        ["Resilience:AttemptTimeout"] = "00:00:02",
    });

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        return builder.Build();
    }

    [Fact]
    public async Task HttpClient_TwoTransient503s_RetriedUntilSuccess()
    {
        var calls = 0;
        await using var backend = await TestWebApp.StartAsync(configureApp: a => a.MapGet("/x", () =>
            Interlocked.Increment(ref calls) <= 2 ? Results.StatusCode(503) : Results.Text("ok")));
        using var host = ClientHost(backend.Address);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        Assert.Equal("ok", await client.GetStringAsync("http://flaky/x"));
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task HttpClient_BadRequest_NotRetried()
    {
        var calls = 0;
        await using var backend = await TestWebApp.StartAsync(configureApp: a => a.MapGet("/x", () =>
        {
            Interlocked.Increment(ref calls);
            return Results.BadRequest();
        }));
        using var host = ClientHost(backend.Address);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var response = await client.GetAsync("http://flaky/x");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task HttpClient_SlowAttempt_TimesOutAndRetries()
    {
        var calls = 0;
        await using var backend = await TestWebApp.StartAsync(configureApp: a => a.MapGet("/x", async (CancellationToken ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(60), ct);   // far past the attempt timeout, inside the total one
            }
            return "ok";
        }));
        using var host = ClientHost(backend.Address);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        Assert.Equal("ok", await client.GetStringAsync("http://flaky/x"));
        // without an attempt timeout the first call would answer after 60 s with calls == 1; a loaded CI machine may
        // also time out the fast second attempt (CI saw 3), so only "retried at least once" is asserted
        Assert.InRange(calls, 2, 3);
    }
}
