using LlmSuite.ServiceDefaults.ServiceDiscovery;
using LlmSuite.ServiceDefaults.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmSuite.ServiceDefaults.Tests.ServiceDiscovery;

public class ServiceDiscoveryTests
{
    [Fact]
    public async Task HttpClient_AspireEnvironmentVariable_ResolvesLogicalNameToBackend()
    {
        await using var backend = await TestWebApp.StartAsync(configureApp: a => a.MapGet("/ping", () => "pong"));
        var name = "sd" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable($"services__{name}__http__0", backend.Address.ToString());
        try
        {
            var builder = Host.CreateApplicationBuilder(); // reads environment variables like every service does
            builder.AddServiceDefaults();
            using var host = builder.Build();
            var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

            Assert.Equal("pong", await client.GetStringAsync($"http://{name}/ping"));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"services__{name}__http__0", null);
        }
    }

    [Fact]
    public async Task HttpClient_TwoReplicas_RequestsAlternate()
    {
        await using var a = await TestWebApp.StartAsync(configureApp: app => app.MapGet("/who", () => "a"));
        await using var b = await TestWebApp.StartAsync(configureApp: app => app.MapGet("/who", () => "b"));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:inference:http:0"] = a.Address.ToString(),
            ["services:inference:http:1"] = b.Address.ToString(),
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.GetStringAsync("http://inference/who"));
        }
        Assert.Equal(2, answers.Count(x => x == "a"));
        Assert.Equal(2, answers.Count(x => x == "b"));
    }

    [Fact]
    public void Next_HttpsPlusHttp_PrefersHttpsThenFallsBackToHttp()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:web:http:0"] = "http://127.0.0.1:5001",
            ["services:api:https:0"] = "https://127.0.0.1:7001",
            ["services:api:http:0"] = "http://127.0.0.1:5002",
        }).Build();
        var resolver = new ServiceEndpointResolver(config);

        Assert.Equal(new Uri("http://127.0.0.1:5001/v1/models?x=1"), resolver.Next(new Uri("https+http://web/v1/models?x=1")));
        Assert.Equal(new Uri("https://127.0.0.1:7001/a"), resolver.Next(new Uri("https+http://api/a")));
        Assert.Null(resolver.Next(new Uri("http://unknown/a")));
    }

    [Fact]
    public async Task HttpClient_UnknownServiceWithSchemeList_ThrowsNamingTheVariable()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("https+http://nowhere/x"));
        Assert.Contains("services__nowhere__http__0", error.Message);
    }

    [Fact]
    public void GetConnectionString_AspireVariable_IsRead()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:6390",
        }).Build();
        Assert.Equal("127.0.0.1:6390", config.GetConnectionString("redis"));
    }
}
