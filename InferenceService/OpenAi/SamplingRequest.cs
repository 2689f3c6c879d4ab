using System.Globalization;
using System.Text.Json;
using LlmSuite.Engine.Sampling;
using LlmSuite.InferenceService.Generation;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>The sampling fields chat and text completions share, with vLLM's extras.</summary>
public abstract class SamplingRequest
{
    public string? Model { get; set; }
    public int? MaxTokens { get; set; }
    public float? Temperature { get; set; }
    public float? TopP { get; set; }
    public int? N { get; set; }
    public JsonElement? Stop { get; set; }
    public long? Seed { get; set; }
    public float? PresencePenalty { get; set; }
    public float? FrequencyPenalty { get; set; }
    public Dictionary<string, float>? LogitBias { get; set; }
    public string? User { get; set; }
    public bool? Stream { get; set; }
    public StreamOptions? StreamOptions { get; set; }
    public int? TopK { get; set; }
    public float? MinP { get; set; }
    public float? RepetitionPenalty { get; set; }
    public int? MinTokens { get; set; }
    public bool? IgnoreEos { get; set; }
    public List<int>? StopTokenIds { get; set; }
    public int? Priority { get; set; }
    public bool? ReturnTokensAsTokenIds { get; set; }
    public string? CacheSalt { get; set; }
    public bool? SkipSpecialTokens { get; set; }
    public bool? IncludeStopStrInOutput { get; set; }

    /// <summary>The engine's parameters (range checks happen in <see cref="SamplingParams.Validate"/>).</summary>
    public SamplingParams ToSamplingParams(int? maxTokens, int? logprobs) => new()
    {
        N = N ?? 1,
        Temperature = Temperature ?? 1f,
        TopP = TopP ?? 1f,
        TopK = TopK ?? 0,
        MinP = MinP ?? 0f,
        RepetitionPenalty = RepetitionPenalty ?? 1f,
        PresencePenalty = PresencePenalty ?? 0f,
        FrequencyPenalty = FrequencyPenalty ?? 0f,
        LogitBias = ParseLogitBias(LogitBias),
        Seed = Seed,
        MaxTokens = maxTokens,
        MinTokens = MinTokens ?? 0,
        Stop = ParseStop(Stop),
        StopTokenIds = StopTokenIds ?? [],
        IgnoreEos = IgnoreEos ?? false,
        Logprobs = logprobs,
        IncludeStopStrInOutput = IncludeStopStrInOutput ?? false,
    };

    /// <summary>stop: a string, an array of strings or null.</summary>
    public static IReadOnlyList<string> ParseStop(JsonElement? stop)
    {
        if (stop is not { } s || s.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (s.ValueKind == JsonValueKind.String)
        {
            return [s.GetString()!];
        }
        if (s.ValueKind == JsonValueKind.Array && s.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. s.EnumerateArray().Select(e => e.GetString()!)];
        }
        throw ApiException.BadRequest("'stop' must be a string, an array of strings or null.", "stop", "invalid_type");
    }

    private static Dictionary<int, float>? ParseLogitBias(Dictionary<string, float>? bias)
    {
        if (bias is null)
        {
            return null;
        }
        var result = new Dictionary<int, float>(bias.Count);
        foreach (var (key, value) in bias)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw ApiException.BadRequest($"'logit_bias' keys must be token ids, got '{key}'.", "logit_bias", "invalid_type");
            }
            result[id] = value;
        }
        return result;
    }
}

/// <summary>stream_options.</summary>
public sealed class StreamOptions
{
    public bool? IncludeUsage { get; set; }
}
