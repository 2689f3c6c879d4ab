using System.Text.Json;

namespace LlmSuite.Engine.Formats.HuggingFace;

/// <summary>Sampling defaults and stop ids from a HF generation_config.json (every field optional).</summary>
public sealed record GenerationConfig
{
    /// <summary>File name inside a model directory.</summary>
    public const string FileName = "generation_config.json";

    /// <summary>bos_token_id.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>eos_token_id (int or list in the file).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = Array.Empty<int>();

    /// <summary>pad_token_id.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>do_sample.</summary>
    public bool? DoSample { get; init; }

    /// <summary>temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>top_p.</summary>
    public double? TopP { get; init; }

    /// <summary>top_k.</summary>
    public int? TopK { get; init; }

    /// <summary>min_p.</summary>
    public double? MinP { get; init; }

    /// <summary>repetition_penalty.</summary>
    public double? RepetitionPenalty { get; init; }

    /// <summary>max_new_tokens.</summary>
    public int? MaxNewTokens { get; init; }

    /// <summary>max_length.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static GenerationConfig Load(string path)
    {
        using JsonDocument doc = JsonRead.Parse(path);
        return Parse(doc.RootElement, path);
    }

    /// <summary>Parses a generation_config.json root object.</summary>
    public static GenerationConfig Parse(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: generation_config.json must be a JSON object");
        }
        return new GenerationConfig
        {
            BosTokenId = JsonRead.Int(root, "bos_token_id", source),
            EosTokenIds = JsonRead.IntOrList(root, "eos_token_id", source),
            PadTokenId = JsonRead.Int(root, "pad_token_id", source),
            DoSample = JsonRead.Bool(root, "do_sample", source),
            Temperature = JsonRead.Double(root, "temperature", source),
            TopP = JsonRead.Double(root, "top_p", source),
            TopK = JsonRead.Int(root, "top_k", source),
            MinP = JsonRead.Double(root, "min_p", source),
            RepetitionPenalty = JsonRead.Double(root, "repetition_penalty", source),
            MaxNewTokens = JsonRead.Int(root, "max_new_tokens", source),
            MaxLength = JsonRead.Int(root, "max_length", source),
        };
    }
}
