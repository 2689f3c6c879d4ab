using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LlmSuite.Engine.Chat;
using LlmSuite.Engine.Models;

namespace LlmSuite.InferenceService.Tests.TestHost;

/// <summary>Independent references: a direct greedy loop over the model (no engine), Prometheus text parsing, SSE/NDJSON helpers.</summary>
public static class Reference
{
    /// <summary>Argmax decoding of <paramref name="count"/> tokens with the contiguous cache, as the generate CLI does.</summary>
    public static int[] Greedy(string modelDir, int[] prompt, int count)
    {
        using var chat = ChatModel.Load(modelDir);
        var model = chat.Model;
        var cache = model.CreateContiguousCache(1, prompt.Length + count);
        var batch = new ForwardBatch(model.MaxBatchTokens, 1);
        var logits = new float[model.VocabSize];
        batch.Clear();
        batch.Add(0, prompt, 0);
        model.Forward(batch, cache, logits);
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            var best = 0;
            for (var v = 1; v < logits.Length; v++)
            {
                if (logits[v] > logits[best])
                {
                    best = v;
                }
            }
            result[i] = best;
            batch.Clear();
            batch.Add(0, [best], prompt.Length + i);
            model.Forward(batch, cache, logits);
        }
        return result;
    }

    /// <summary>The value of a Prometheus series whose name matches and whose labels contain every given label.</summary>
    public static double? Metric(string exposition, string name, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue;
            }
            if (labels.All(l => rest.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    public static async Task<string> MetricsAsync(HttpClient http) => await http.GetStringAsync("metrics");

    public static async Task<JsonElement> PostJsonAsync(HttpClient http, string path, object body, int expectedStatus = 200)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{path}: expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<int[]> TokenizeAsync(HttpClient http, string model, string prompt)
    {
        var r = await PostJsonAsync(http, "tokenize", new { model, prompt });
        return [.. r.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32())];
    }
}
