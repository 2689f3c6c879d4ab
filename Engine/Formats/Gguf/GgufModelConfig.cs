using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Formats.Gguf;

/// <summary>
/// Maps GGUF metadata ({arch}.embedding_length, block_count, feed_forward_length, attention.head_count(_kv),
/// attention.key_length, attention.layer_norm_rms_epsilon, rope.freq_base, context_length, vocab_size, rope scaling,
/// tokenizer.ggml.bos/eos ids) to the same <see cref="ModelConfig"/> a HF config.json gives.
/// </summary>
public static class GgufModelConfig
{
    /// <summary>GGUF general.architecture values the engine runs, with their HF model_type and class.</summary>
    public static readonly IReadOnlyDictionary<string, (string ModelType, string HfArchitecture)> Supported =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["llama"] = ("llama", "LlamaForCausalLM"),
            ["mistral"] = ("mistral", "MistralForCausalLM"),
            ["qwen2"] = ("qwen2", "Qwen2ForCausalLM"),
            ["qwen3"] = ("qwen3", "Qwen3ForCausalLM"),
        };

    /// <summary>Builds the model config of a GGUF file (metadata plus tensor presence for tying, bias and rope_freqs).</summary>
    public static ModelConfig From(GgufFile file)
    {
        GgufMetadata m = file.Metadata;
        string src = file.Description;
        string arch = m.GetString("general.architecture")
            ?? throw new InvalidDataException($"{src}: metadata 'general.architecture' is missing");
        if (!Supported.TryGetValue(arch, out var names))
        {
            throw new NotSupportedException($"{src}: GGUF architecture '{arch}' is not supported (supported: {string.Join(", ", Supported.Keys)})");
        }
        int Required(string key) => m.GetInt32($"{arch}.{key}") ?? throw new InvalidDataException($"{src}: metadata '{arch}.{key}' is missing");
        int hidden = Required("embedding_length");
        int heads = Required("attention.head_count");
        int vocab = m.GetInt32($"{arch}.vocab_size")
            ?? m.GetStringArray("tokenizer.ggml.tokens")?.Length
            ?? (file.Contains("token_embd.weight") ? (int)file.GetInfo("token_embd.weight").Shape[0] : 0);
        int headDim = m.GetInt32($"{arch}.attention.key_length") ?? hidden / Math.Max(1, heads);
        int? eos = m.GetInt32("tokenizer.ggml.eos_token_id");
        int? eot = m.GetInt32("tokenizer.ggml.eot_token_id");
        var eosIds = new List<int>();
        if (eos is int e)
        {
            eosIds.Add(e);
        }
        if (eot is int t && t != eos)
        {
            eosIds.Add(t);
        }
        var config = new ModelConfig
        {
            Architecture = names.HfArchitecture,
            ModelType = names.ModelType,
            HiddenSize = hidden,
            IntermediateSize = Required("feed_forward_length"),
            NumLayers = Required("block_count"),
            NumHeads = heads,
            NumKvHeads = m.GetInt32($"{arch}.attention.head_count_kv") ?? heads,
            HeadDim = headDim,
            VocabSize = vocab,
            RmsNormEps = m.GetDouble($"{arch}.attention.layer_norm_rms_epsilon") ?? 1e-5,
            RopeTheta = m.GetDouble($"{arch}.rope.freq_base") ?? 10000.0,
            RopeScaling = ReadRopeScaling(file, arch, headDim, m.GetDouble($"{arch}.rope.freq_base") ?? 10000.0),
            MaxPositionEmbeddings = m.GetInt32($"{arch}.context_length") ?? 2048,
            TieWordEmbeddings = !file.Contains("output.weight"),
            AttentionBias = file.Contains("blk.0.attn_output.bias"),
            BosTokenId = m.GetInt32("tokenizer.ggml.bos_token_id"),
            EosTokenIds = eosIds,
        };
        int? ropeDims = m.GetInt32($"{arch}.rope.dimension_count");
        if (ropeDims is int rd && rd != headDim)
        {
            throw new NotSupportedException($"{src}: partial rotary embedding ({arch}.rope.dimension_count = {rd}, head_dim = {headDim}) is not supported");
        }
        config.Validate(src);
        return config;
    }

    private static RopeScaling? ReadRopeScaling(GgufFile file, string arch, int headDim, double theta)
    {
        GgufMetadata m = file.Metadata;
        string? type = m.GetString($"{arch}.rope.scaling.type");
        if (type is not null && type != "none")
        {
            throw new NotSupportedException($"{file.Description}: rope scaling type '{type}' ({arch}.rope.scaling.type) is not supported");
        }
        if (!file.Contains("rope_freqs.weight"))
        {
            return null;
        }
        // llama.cpp stores llama3 scaling as per-frequency divisors (rope_freqs.weight [headDim / 2]); recover the
        // llama3 parameters by matching the known Llama 3.x settings.
        TensorInfo info = file.GetInfo("rope_freqs.weight");
        if (info.Elements != headDim / 2)
        {
            throw new InvalidDataException($"{file.Description}: rope_freqs.weight has {info.Elements} values, expected head_dim / 2 = {headDim / 2}");
        }
        float[] factors = new float[headDim / 2];
        Dequantize.ToF32(info.DType, file.GetBytes("rope_freqs.weight"), factors);
        int original = m.GetInt32($"{arch}.rope.scaling.original_context_length") ?? 8192;
        foreach (double factor in new[] { 8.0, 16.0, 32.0, 4.0, 2.0 })
        {
            var candidate = new RopeScaling("llama3", factor, 1.0, 4.0, original);
            if (Matches(candidate, factors, headDim, theta))
            {
                return candidate;
            }
        }
        throw new NotSupportedException($"{file.Description}: rope_freqs.weight does not match llama3 rope scaling with low/high freq factors 1/4 and original context {original}; custom rope frequency tables are not supported");
    }

    private static bool Matches(RopeScaling s, float[] divisors, int headDim, double theta)
    {
        double low = s.OriginalMaxPositions / s.LowFreqFactor, high = s.OriginalMaxPositions / s.HighFreqFactor;
        for (int i = 0; i < divisors.Length; i++)
        {
            double wavelen = 2 * Math.PI * Math.Pow(theta, 2.0 * i / headDim);
            double divisor = wavelen < high ? 1.0
                : wavelen > low ? s.Factor
                : 1.0 / ((1 - (s.OriginalMaxPositions / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor)) / s.Factor
                         + (s.OriginalMaxPositions / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor));
            if (Math.Abs(divisor - divisors[i]) > 1e-3 * divisor)
            {
                return false;
            }
        }
        return true;
    }
}
