using System.Collections.Concurrent;
using LlmSuite.ServiceDefaults.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmSuite.ServiceDefaults.Tests.RequestIds;

public class RequestIdPropagationTests
{
    /// <summary>front → back over a real HttpClient resolved by service discovery; back echoes what it received.</summary>
    private static async Task<(TestWebApp Front, TestWebApp Back, CapturingLoggerProvider Logs)> StartTwoHopsAsync()
    {
        var logs = new CapturingLoggerProvider(); // front's logs; back's go to a provider of its own (scopes are per factory)
        var backLogs = new CapturingLoggerProvider { Entries = logs.Entries };
        var back = await TestWebApp.StartAsync(
            configureBuilder: b => b.Logging.AddProvider(backLogs),
            configureApp: a => a.MapGet("/echo", (HttpRequest r, ILogger<RequestIdPropagationTests> log) =>
            {
                log.LogInformation("back handled");
                return r.Headers["x-request-id"].ToString();
            }));
        var front = await TestWebApp.StartAsync(
            settings: new Dictionary<string, string?> { ["services:back:http:0"] = back.Address.ToString() },
            configureBuilder: b => b.Logging.AddProvider(logs),
            configureApp: a => a.MapGet("/call", async (IHttpClientFactory factory, ILogger<RequestIdPropagationTests> log) =>
            {
                log.LogInformation("front handled");
                return await factory.CreateClient().GetStringAsync("http://back/echo");
            }));
        return (front, back, logs);
    }

    [Fact]
    public async Task RequestId_GivenByClient_EchoedAndForwardedAcrossTwoHopsAndLogged()
    {
        var (front, back, logs) = await StartTwoHopsAsync();
        await using (front)
        await using (back)
        {
            using var client = front.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/call");
            request.Headers.Add("x-request-id", "chat-123");
            using var response = await client.SendAsync(request);

            Assert.Equal("chat-123", await response.Content.ReadAsStringAsync());
            Assert.Equal("chat-123", response.Headers.GetValues("x-request-id").Single());
            Assert.Contains(logs.Entries, e => e.Message == "front handled" && e.RequestId == "chat-123");
            Assert.Contains(logs.Entries, e => e.Message == "back handled" && e.RequestId == "chat-123");
        }
    }

    [Fact]
    public async Task RequestId_Absent_GeneratedOnceAndSameOnBothHops()
    {
        var (front, back, _) = await StartTwoHopsAsync();
        await using (front)
        await using (back)
        {
            using var client = front.CreateClient();
            using var response = await client.GetAsync("/call");
            var echoed = response.Headers.GetValues("x-request-id").Single();

            Assert.Matches("^[0-9a-f]{32}$", echoed);
            Assert.Equal(echoed, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task RequestId_MalformedOrOversized_ReplacedByGenerated()
    {
        await using var app = await TestWebApp.StartAsync();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alive");
        request.Headers.TryAddWithoutValidation("x-request-id", new string('a', 500));
        using var response = await client.SendAsync(request);

        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("x-request-id").Single());
    }

    public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Message, string? RequestId)> Entries { get; init; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string? requestId = null;
                owner._scopes.ForEachScope((scope, _) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            if (key == "RequestId")
                            {
                                requestId = value?.ToString();
                            }
                        }
                    }
                }, (object?)null);
                owner.Entries.Enqueue((formatter(state, exception), requestId));
            }
        }
    }
}
