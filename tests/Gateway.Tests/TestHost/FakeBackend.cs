using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmSuite.Gateway.Tests.TestHost;

/// <summary>
/// A real Kestrel replica that speaks a minimal OpenAI/Ollama subset: <c>/health</c>, <c>/v1/models</c>,
/// <c>/api/tags</c>, <c>/v1/chat/completions</c> (JSON or SSE with usage), <c>/api/chat</c> (NDJSON). Its answers
/// name the replica; it counts requests, and a stream can be held after its first chunk with <see cref="Gate"/>.
/// </summary>
public sealed class FakeBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeBackend(WebApplication app, string name) { _app = app; Name = name; }

    /// <summary>The replica's name (in every answer's <c>system_fingerprint</c>).</summary>
    public string Name { get; }

    /// <summary>Base address.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Models this replica serves.</summary>
    public string[] Models { get; init; } = ["tiny"];

    /// <summary>Generation requests received.</summary>
    public int Requests => _requests;
    private int _requests;

    /// <summary>Outstanding generation requests.</summary>
    public int Outstanding => _outstanding;
    private int _outstanding;

    /// <summary>Conversation prompts seen (last user message), in order.</summary>
    public ConcurrentQueue<string> Prompts { get; } = new();

    /// <summary>When set, a stream waits for it after the first chunk.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completes when a streaming request was aborted by the client side.</summary>
    public TaskCompletionSource StreamAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Delay before answering each generation request.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Starts a replica on a free port.</summary>
    public static async Task<FakeBackend> StartAsync(string name, params string[] models)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new FakeBackend(app, name) { Models = models.Length == 0 ? ["tiny"] : models };
        backend.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Address = new Uri(address);
        return backend;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Text("Healthy"));
        app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = Models.Select(m => new { id = m, @object = "model", created = 0, owned_by = Name }),
        }));
        app.MapGet("/api/tags", () => Results.Json(new { models = Models.Select(m => new { name = m, model = m, size = 1 }) }));
        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/api/chat", OllamaChatAsync);
    }

    private async Task ChatAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _outstanding);
        try
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            var messages = body!["messages"]!.AsArray();
            var last = messages[^1]!["content"]!.GetValue<string>();
            Prompts.Enqueue(last);
            var model = body["model"]?.GetValue<string>() ?? "tiny";
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency);
            }
            var words = new[] { "echo", ":", last };
            if (body["stream"]?.GetValue<bool>() == true)
            {
                context.Response.ContentType = "text/event-stream";
                for (var i = 0; i < words.Length; i++)
                {
                    var chunk = new
                    {
                        id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1, model, system_fingerprint = Name,
                        choices = new[] { new { index = 0, delta = new { role = i == 0 ? "assistant" : null, content = words[i] }, finish_reason = (string?)null } },
                    };
                    await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    if (i == 0 && Gate is { } gate)
                    {
                        try
                        {
                            await gate.Task.WaitAsync(context.RequestAborted);
                        }
                        catch (OperationCanceledException)
                        {
                            StreamAborted.TrySetResult();
                            throw;
                        }
                    }
                }
                var final = new
                {
                    id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1, model, system_fingerprint = Name,
                    choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 5, completion_tokens = words.Length, total_tokens = 5 + words.Length },
                };
                await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(final)}\n\ndata: [DONE]\n\n", context.RequestAborted);
                return;
            }
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-1", @object = "chat.completion", created = 1, model, system_fingerprint = Name,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(words) }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 5, completion_tokens = 3, total_tokens = 8 },
            });
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
        }
    }

    private async Task OllamaChatAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var model = body!["model"]?.GetValue<string>() ?? "tiny";
        context.Response.ContentType = "application/x-ndjson";
        foreach (var word in new[] { "hello", " world" })
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { model, message = new { role = "assistant", content = word }, done = false }) + "\n");
            await context.Response.Body.FlushAsync();
        }
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { model, message = new { role = "assistant", content = "" }, done = true, prompt_eval_count = 4, eval_count = 2 }) + "\n");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
