using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LlmSuite.Gateway.Tests.TestHost;

/// <summary>Request helpers.</summary>
public static class Chat
{
    /// <summary>A chat body with the given user turns (alternating with fixed assistant answers).</summary>
    public static JsonObject Body(string model, bool stream, double? temperature, params string[] userTurns)
        => Body("You are a helpful assistant. " + new string('x', 200), model, stream, temperature, userTurns);

    /// <summary>A chat body with a given system prompt.</summary>
    public static JsonObject Body(string system, string model, bool stream, double? temperature, string[] userTurns)
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = system } };
        for (var i = 0; i < userTurns.Length; i++)
        {
            if (i > 0)
            {
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "echo:" + userTurns[i - 1] });
            }
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = userTurns[i] });
        }
        var body = new JsonObject { ["model"] = model, ["messages"] = messages, ["stream"] = stream };
        if (temperature is { } t)
        {
            body["temperature"] = t;
        }
        return body;
    }

    /// <summary>
    /// Posts and reads the whole answer. Disposing a response from <see cref="PostAsync"/> after its headers aborts the
    /// request, and the gateway never caches an aborted response: a test that expects the next request to hit needs this.
    /// </summary>
    public static async Task<string> PostAndReadAsync(HttpClient client, JsonObject body)
    {
        using var response = await PostAsync(client, body);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>POSTs a chat body to /v1/chat/completions (returns after the headers).</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
