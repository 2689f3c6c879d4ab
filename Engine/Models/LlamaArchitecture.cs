namespace LlmSuite.Engine.Models;

/// <summary>
/// Llama 2 / 3.x (HF LlamaForCausalLM): no projection biases unless attention_bias, GQA, optional tied embeddings,
/// optional llama3 rope scaling. GGUF files from llama.cpp store Q/K rows permuted for interleaved RoPE.
/// </summary>
public sealed class LlamaArchitecture : ArchitectureTraits
{
    /// <summary>The shared instance.</summary>
    public static readonly LlamaArchitecture Instance = new();

    /// <inheritdoc />
    public override string ModelType => "llama";

    /// <inheritdoc />
    public override bool GgufPermutesQk => true;
}
