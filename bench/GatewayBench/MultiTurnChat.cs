using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSuite.GatewayBench;

/// <summary>One streamed chat turn: time to the first chunk with text, and the prompt's token count.</summary>
internal sealed record TurnSample(int Conversation, int Turn, double TtftMs, int PromptTokens);

/// <summary>
/// A multi-turn chat workload: several conversations at once, each with its own system prompt (a document the user
/// asks about), proceeding independently turn after turn with a random think time; every turn appends the assistant's streamed reply and a new
/// user message, so each prompt extends the previous turn's prompt by one reply and one question.
/// </summary>
internal static class MultiTurnChat
{
    private static readonly string[] Words =
    [
        "the", "river", "city", "market", "engine", "winter", "garden", "letter", "ship", "mountain", "people", "school",
        "quiet", "bright", "old", "new", "small", "great", "north", "south", "story", "answer", "question", "morning",
        "because", "after", "before", "while", "under", "over", "with", "about", "between", "every", "several", "house",
        "road", "station", "teacher", "music", "history", "paper", "window", "color", "animal", "forest", "village", "bridge",
    ];

    /// <summary>
    /// Runs <paramref name="conversations"/> × <paramref name="turns"/> streamed turns against <paramref name="baseAddress"/>:
    /// the texts and think times come from <paramref name="seed"/>, and <paramref name="salt"/> starts every system prompt.
    /// </summary>
    public static async Task<List<TurnSample>> RunAsync(HttpClient http, Uri baseAddress, string model, int conversations, int turns,
        int systemWords, int userWords, int replyTokens, TimeSpan maxThinkTime, int seed, string salt)
    {
        var uri = new Uri(baseAddress, "/v1/chat/completions");
        var runs = Enumerable.Range(0, conversations).Select(async c =>
        {
            // the seed fixes texts and think times (so two runs with one seed see the same arrivals); the salt only
            // makes the prompts distinct, so one run cannot hit another run's cached prefixes
            var random = new Random((seed * 7919 + c * 104729) & 0x7fffffff);
            var messages = new JsonArray
            {
                new JsonObject { ["role"] = "system", ["content"] = $"[{salt}/{c}] Answer questions about this document. " + Text(random, systemWords) },
            };
            var samples = new List<TurnSample>();
            for (var turn = 0; turn < turns; turn++)
            {
                // the user reads and types (uniform in [0, maxThinkTime)), so conversations drift apart in time
                await Task.Delay(maxThinkTime * random.NextDouble());
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"Question {turn + 1}: " + Text(random, userWords) + "?" });
                var body = new JsonObject
                {
                    ["model"] = model,
                    ["messages"] = messages.DeepClone(),
                    ["stream"] = true,
                    ["stream_options"] = new JsonObject { ["include_usage"] = true },
                    ["max_tokens"] = replyTokens,
                    ["temperature"] = 0.7,
                    ["seed"] = turn,
                };
                var (ttft, reply, promptTokens) = await StreamAsync(http, uri, body.ToJsonString());
                samples.Add(new TurnSample(c, turn, ttft, promptTokens));
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = reply });
            }
            return samples;
        });
        return [.. (await Task.WhenAll(runs)).SelectMany(s => s)];
    }

    private static async Task<(double TtftMs, string Reply, int PromptTokens)> StreamAsync(HttpClient http, Uri uri, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var ttft = -1.0;
        var reply = new StringBuilder();
        var promptTokens = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }
            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            var root = chunk.RootElement;
            if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var text)
                && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } piece)
            {
                // the first chunk carries only the role and content "" before any token: TTFT is the first text
                if (ttft < 0)
                {
                    ttft = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                reply.Append(piece);
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                promptTokens = usage.GetProperty("prompt_tokens").GetInt32();
            }
        }
        return (ttft < 0 ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : ttft, reply.ToString(), promptTokens);
    }

    private static string Text(Random random, int words)
        => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
}
