using System.Net;
using System.Text.Json;
using LlmSuite.Gateway.Auth;
using LlmSuite.Gateway.Tests.TestHost;
using StackExchange.Redis;

namespace LlmSuite.Gateway.Tests.Auth;

public sealed class ApiKeyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static Dictionary<string, string?> OneKey => new()
    {
        ["Gateway:Auth:Enabled"] = "true",
        ["Gateway:Auth:Keys:0:Key"] = "sk-good",
    };

    [Theory]
    [InlineData(null)]
    [InlineData("sk-wrong")]
    public async Task ChatCompletions_MissingOrWrongKey_Returns401OpenAiError(string? key)
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, OneKey);
        using var client = gateway.CreateClient(key);
        using var response = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_api_key", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task ChatCompletions_ConfiguredKey_ForwardedWithoutTheKey()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, OneKey);
        using var client = gateway.CreateClient("sk-good");
        using var response = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_KeyStoredHashedInRedis_Accepted()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, OneKey);
        using (var connection = ConnectionMultiplexer.Connect(redis.Server.ConnectionString))
        {
            await connection.GetDatabase().HashSetAsync(ApiKeyStore.RedisKey(ApiKeyHasher.Hash("sk-added")), [new HashEntry("tenant", "carol")]);
        }
        using var client = gateway.CreateClient("sk-added");
        using var response = await Chat.PostAsync(client, Chat.Body("tiny", false, null, "hi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Startup_ConfiguredKeys_StoredOnlyAsHashes()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, OneKey);
        using var connection = ConnectionMultiplexer.Connect(redis.Server.ConnectionString + ",allowAdmin=true");
        var key = ApiKeyStore.RedisKey(ApiKeyHasher.Hash("sk-good"));
        for (var i = 0; i < 100 && !await connection.GetDatabase().KeyExistsAsync(key); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(await connection.GetDatabase().KeyExistsAsync(key));
        var keys = connection.GetServer(redis.Server.ConnectionString).Keys(pattern: "*").Select(k => (string)k!).ToArray();
        Assert.DoesNotContain(keys, k => k.Contains("sk-good"));
    }

    [Fact]
    public async Task Health_WithoutKey_Returns200()
    {
        await using var backend = await FakeBackend.StartAsync("r0");
        await using var gateway = await GatewayHost.StartAsync([backend.Address], redis.Server.ConnectionString, OneKey);
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
