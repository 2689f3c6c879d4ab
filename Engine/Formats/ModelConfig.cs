using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Formats;

/// <summary>
/// Architecture hyper-parameters of a decoder-only transformer, read from a HF config.json or from GGUF metadata.
/// <see cref="ModelType"/> is the HF model_type ("llama", "mistral", "qwen2", "qwen3").
/// </summary>
public sealed record ModelConfig
{
    /// <summary>HF architectures[0] (e.g. "LlamaForCausalLM"), or the GGUF general.architecture.</summary>
    public required string Architecture { get; init; }

    /// <summary>HF model_type: "llama", "mistral", "qwen2", "qwen3".</summary>
    public required string ModelType { get; init; }

    /// <summary>Residual stream width d.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>MLP inner width.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Number of decoder layers.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Query heads.</summary>
    public required int NumHeads { get; init; }

    /// <summary>Key/value heads (GQA when fewer than <see cref="NumHeads"/>).</summary>
    public required int NumKvHeads { get; init; }

    /// <summary>Per-head width (may differ from HiddenSize / NumHeads, e.g. Qwen3).</summary>
    public required int HeadDim { get; init; }

    /// <summary>Vocabulary size (rows of the embedding).</summary>
    public required int VocabSize { get; init; }

    /// <summary>RMSNorm epsilon.</summary>
    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>RoPE base θ.</summary>
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>RoPE frequency scaling (llama3) or null.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Maximum context length.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Sliding-window attention span (Mistral v0.1, Qwen2 with use_sliding_window) or null for full attention.</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>The LM head reuses the embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Bias on q/k/v/o projections (HF attention_bias).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Beginning-of-sequence token id, if any.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>End-of-sequence token ids (config.json may list several).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = Array.Empty<int>();

    /// <summary>Checks internal consistency; throws <see cref="InvalidDataException"/> naming the field.</summary>
    public void Validate(string source)
    {
        void Positive(int v, string field)
        {
            if (v <= 0)
            {
                throw new InvalidDataException($"{source}: {field} must be positive, got {v}");
            }
        }
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumLayers, "num_hidden_layers");
        Positive(NumHeads, "num_attention_heads");
        Positive(NumKvHeads, "num_key_value_heads");
        Positive(HeadDim, "head_dim");
        Positive(VocabSize, "vocab_size");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if (NumHeads % NumKvHeads != 0)
        {
            throw new InvalidDataException($"{source}: num_attention_heads ({NumHeads}) must be a multiple of num_key_value_heads ({NumKvHeads})");
        }
        if (HeadDim % 2 != 0)
        {
            throw new InvalidDataException($"{source}: head_dim must be even for RoPE, got {HeadDim}");
        }
        if (RmsNormEps <= 0 || RopeTheta <= 0)
        {
            throw new InvalidDataException($"{source}: rms_norm_eps and rope_theta must be positive (got {RmsNormEps}, {RopeTheta})");
        }
    }
}
