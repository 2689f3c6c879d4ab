namespace LlmSuite.Engine.Models;

/// <summary>
/// Mistral (HF MistralForCausalLM): the Llama graph. Sliding-window attention is not implemented; a model with a
/// sliding_window gets its usable context capped at the window (where full attention is identical) instead of
/// silently computing the wrong attention past it.
/// </summary>
public sealed class MistralArchitecture : ArchitectureTraits
{
    /// <summary>The shared instance.</summary>
    public static readonly MistralArchitecture Instance = new();

    /// <inheritdoc />
    public override string ModelType => "mistral";

    /// <inheritdoc />
    public override bool GgufPermutesQk => true;
}
