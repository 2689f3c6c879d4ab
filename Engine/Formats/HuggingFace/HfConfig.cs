using System.Text.Json;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Formats.HuggingFace;

/// <summary>Reads a Hugging Face config.json into a <see cref="ModelConfig"/>.</summary>
public static class HfConfig
{
    /// <summary>File name inside a model directory.</summary>
    public const string FileName = "config.json";

    /// <summary>Reads and validates <paramref name="path"/> (a config.json file).</summary>
    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model config not found: {path}", path);
        }
        using JsonDocument doc = JsonRead.Parse(path);
        return Parse(doc.RootElement, path);
    }

    /// <summary>Parses a config.json root object; <paramref name="source"/> names it in messages.</summary>
    public static ModelConfig Parse(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: config.json must be a JSON object");
        }
        string? architecture = null;
        if (JsonRead.Field(root, "architectures") is JsonElement arch && arch.ValueKind == JsonValueKind.Array && arch.GetArrayLength() > 0)
        {
            architecture = arch[0].GetString();
        }
        string modelType = JsonRead.String(root, "model_type", source)
            ?? throw new InvalidDataException($"{source}: field 'model_type' is missing");
        int Required(string name) => JsonRead.Int(root, name, source) ?? throw new InvalidDataException($"{source}: field '{name}' is missing");
        int hidden = Required("hidden_size");
        int heads = Required("num_attention_heads");
        var config = new ModelConfig
        {
            Architecture = architecture ?? modelType,
            ModelType = modelType,
            HiddenSize = hidden,
            IntermediateSize = Required("intermediate_size"),
            NumLayers = Required("num_hidden_layers"),
            NumHeads = heads,
            NumKvHeads = JsonRead.Int(root, "num_key_value_heads", source) ?? heads,
            HeadDim = JsonRead.Int(root, "head_dim", source) ?? (heads > 0 ? hidden / heads : 0),
            VocabSize = Required("vocab_size"),
            RmsNormEps = JsonRead.Double(root, "rms_norm_eps", source) ?? 1e-6,
            RopeTheta = JsonRead.Double(root, "rope_theta", source) ?? 10000.0,
            RopeScaling = ParseRopeScaling(root, source),
            MaxPositionEmbeddings = JsonRead.Int(root, "max_position_embeddings", source) ?? 2048,
            TieWordEmbeddings = JsonRead.Bool(root, "tie_word_embeddings", source) ?? false,
            AttentionBias = JsonRead.Bool(root, "attention_bias", source) ?? false,
            SlidingWindow = (JsonRead.Bool(root, "use_sliding_window", source) ?? true) ? JsonRead.Int(root, "sliding_window", source) : null,
            BosTokenId = JsonRead.Int(root, "bos_token_id", source),
            EosTokenIds = JsonRead.IntOrList(root, "eos_token_id", source),
        };
        string? act = JsonRead.String(root, "hidden_act", source);
        if (act is not null && act != "silu")
        {
            throw new NotSupportedException($"{source}: hidden_act '{act}' is not supported (supported: silu)");
        }
        if (JsonRead.Bool(root, "mlp_bias", source) == true)
        {
            throw new NotSupportedException($"{source}: mlp_bias = true is not supported");
        }
        config.Validate(source);
        return config;
    }

    private static RopeScaling? ParseRopeScaling(JsonElement root, string source)
    {
        if (JsonRead.Field(root, "rope_scaling") is not JsonElement rs)
        {
            return null;
        }
        if (rs.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: field 'rope_scaling' must be an object or null");
        }
        string type = JsonRead.String(rs, "rope_type", source) ?? JsonRead.String(rs, "type", source)
            ?? throw new InvalidDataException($"{source}: rope_scaling has no 'rope_type'");
        if (type == "default")
        {
            return null;
        }
        if (type != "llama3")
        {
            throw new NotSupportedException($"{source}: rope_scaling type '{type}' is not supported (supported: llama3)");
        }
        double Need(string name) => JsonRead.Double(rs, name, source) ?? throw new InvalidDataException($"{source}: rope_scaling (llama3) is missing '{name}'");
        return new RopeScaling("llama3", Need("factor"), Need("low_freq_factor"), Need("high_freq_factor"),
            JsonRead.Int(rs, "original_max_position_embeddings", source) ?? throw new InvalidDataException($"{source}: rope_scaling (llama3) is missing 'original_max_position_embeddings'"));
    }
}
