namespace LlmSuite.Engine.Models;

/// <summary>
/// Qwen3 (HF Qwen3ForCausalLM): no projection biases, per-head RMSNorm (q_norm, k_norm [headDim]) applied to q and k
/// before RoPE; head_dim may differ from hidden_size / num_attention_heads. NeoX RoPE in GGUF (no permutation).
/// </summary>
public sealed class Qwen3Architecture : ArchitectureTraits
{
    /// <summary>The shared instance.</summary>
    public static readonly Qwen3Architecture Instance = new();

    /// <inheritdoc />
    public override string ModelType => "qwen3";

    /// <inheritdoc />
    public override bool QkNorm => true;
}
