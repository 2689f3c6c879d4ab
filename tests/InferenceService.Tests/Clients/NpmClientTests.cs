using System.Diagnostics;
using System.Text.Json;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.Clients;

/// <summary>
/// The official npm clients (`openai`, `ollama` from tests/js, unmodified) against a real server: chat, streaming,
/// completions, model lists and errors they understand. Each script prints what it saw as one JSON object.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NpmClientTests(ServerFixture fixture)
{
    private static async Task<JsonElement> RunNodeAsync(string script, params string[] args)
    {
        var path = Path.Combine(TinyModel.RepoRoot(), "tests", "js", "clients", script);
        var modules = Path.Combine(TinyModel.RepoRoot(), "tests", "js", "node_modules", "openai");
        Assert.True(Directory.Exists(modules), "npm fixtures are missing: run ./test.sh (npm ci in tests/js)");
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node {script} failed ({process.ExitCode}):\n{await stderr}\n{await stdout}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    private string BaseUrl => fixture.Server.Address.ToString().TrimEnd('/');

    [Fact]
    public async Task OpenAiNpmClient_ChatStreamCompletionModelsErrors_Work()
    {
        var r = await RunNodeAsync("openai-client.mjs", BaseUrl, "tiny");

        var chat = r.GetProperty("chat");
        Assert.Equal("length", chat.GetProperty("finish").GetString());
        Assert.Equal(8, chat.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var stream = r.GetProperty("stream");
        Assert.Equal(chat.GetProperty("text").GetString(), stream.GetProperty("text").GetString());
        Assert.Equal("length", stream.GetProperty("finish").GetString());
        Assert.Equal(chat.GetProperty("usage").GetProperty("total_tokens").GetInt32(), stream.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(5, r.GetProperty("completion").GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Contains("tiny", r.GetProperty("models").EnumerateArray().Select(m => m.GetString()));

        var error = r.GetProperty("error");
        Assert.Equal("BadRequestError", error.GetProperty("name").GetString());
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Equal("temperature", error.GetProperty("param").GetString());
        Assert.Equal("NotFoundError", r.GetProperty("notFound").GetProperty("name").GetString());
    }

    [Fact]
    public async Task OllamaNpmClient_ChatStreamGenerateTagsErrors_Work()
    {
        var r = await RunNodeAsync("ollama-client.mjs", BaseUrl, "tiny");

        var chat = r.GetProperty("chat");
        Assert.Equal("assistant", chat.GetProperty("role").GetString());
        Assert.True(chat.GetProperty("done").GetBoolean());
        Assert.Equal(8, chat.GetProperty("evalCount").GetInt32());
        Assert.True(chat.GetProperty("promptEvalCount").GetInt32() > 0);
        Assert.True(chat.GetProperty("totalDuration").GetInt64() > 0);
        var stream = r.GetProperty("stream");
        Assert.Equal(chat.GetProperty("text").GetString(), stream.GetProperty("text").GetString());
        Assert.True(stream.GetProperty("parts").GetInt32() > 1);
        Assert.Equal(5, r.GetProperty("generate").GetProperty("evalCount").GetInt32());
        Assert.Contains(r.GetProperty("tags").EnumerateArray().Select(m => m.GetString()), name => name!.StartsWith("tiny", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(r.GetProperty("version").GetString()));
        Assert.Equal("ResponseError", r.GetProperty("error").GetProperty("name").GetString());
        Assert.Equal(404, r.GetProperty("error").GetProperty("status").GetInt32());
    }
}
