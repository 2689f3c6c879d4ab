namespace LlmSuite.Engine.Models;

/// <summary>Qwen2 / Qwen2.5 (HF Qwen2ForCausalLM): Llama graph plus biases on q/k/v (not o); NeoX RoPE in GGUF (no permutation).</summary>
public sealed class Qwen2Architecture : ArchitectureTraits
{
    /// <summary>The shared instance.</summary>
    public static readonly Qwen2Architecture Instance = new();

    /// <inheritdoc />
    public override string ModelType => "qwen2";

    /// <inheritdoc />
    public override bool QkvBias => true;
}
