using System.Net;
using System.Text.Json;
using LlmSuite.ServiceDefaults.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmSuite.ServiceDefaults.Tests.Health;

public class HealthEndpointTests
{
    [Fact]
    public async Task Health_AllChecksHealthy_Returns200WithJsonInProduction()
    {
        await using var app = await TestWebApp.StartAsync();
        using var client = app.CreateClient();

        using var health = await client.GetAsync("/health");
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("self").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_ReadinessCheckFails_HealthIs503AliveStays200()
    {
        await using var app = await TestWebApp.StartAsync(configureBuilder: b => b.Services.AddHealthChecks()
            .AddCheck("model", () => HealthCheckResult.Unhealthy("model not loaded", data: new Dictionary<string, object> { ["model"] = "tiny" })));
        using var client = app.CreateClient();

        using var health = await client.GetAsync("/health");
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        var model = json.RootElement.GetProperty("checks").GetProperty("model");
        Assert.Equal("model not loaded", model.GetProperty("description").GetString());
        Assert.Equal("tiny", model.GetProperty("data").GetProperty("model").GetString());
    }
}
