using LlmSuite.Engine.Formats;

namespace LlmSuite.Engine.Models;

/// <summary>
/// What distinguishes one decoder-only architecture from another in the shared transformer graph
/// (pre-norm RMSNorm, GQA attention with RoPE, SwiGLU MLP). One instance per architecture file.
/// </summary>
public abstract class ArchitectureTraits
{
    /// <summary>HF model_type this covers.</summary>
    public abstract string ModelType { get; }

    /// <summary>q/k/v projections carry a bias (Qwen2), in addition to config attention_bias.</summary>
    public virtual bool QkvBias => false;

    /// <summary>Per-head RMSNorm on q and k before RoPE (Qwen3).</summary>
    public virtual bool QkNorm => false;

    /// <summary>llama.cpp's converter permuted Q/K rows for interleaved RoPE in GGUF files of this architecture.</summary>
    public virtual bool GgufPermutesQk => false;

    /// <summary>Checks architecture-specific config constraints; throws <see cref="NotSupportedException"/> naming the field.</summary>
    public virtual void Validate(ModelConfig config, string source)
    {
    }

    /// <summary>The traits for a config's model_type; throws <see cref="NotSupportedException"/> for other types.</summary>
    public static ArchitectureTraits For(ModelConfig config, string source) => config.ModelType switch
    {
        "llama" => LlamaArchitecture.Instance,
        "mistral" => MistralArchitecture.Instance,
        "qwen2" => Qwen2Architecture.Instance,
        "qwen3" => Qwen3Architecture.Instance,
        _ => throw new NotSupportedException($"{source}: model_type '{config.ModelType}' ({config.Architecture}) is not supported (supported: llama, mistral, qwen2, qwen3)"),
    };
}
