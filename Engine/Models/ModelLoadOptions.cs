namespace LlmSuite.Engine.Models;

/// <summary>How <see cref="ModelLoader"/> loads a model.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>"q8_0" quantizes every linear weight (and the embedding) to Q8_0 at load; norms and biases stay F32.
    /// Null keeps the stored precision: F16 is widened to F32, BF16 too unless <see cref="KeepBF16"/>; GGUF Q4_0/Q4_K/Q6_K
    /// (no kernels) always become Q8_0.</summary>
    public string? Quantize { get; init; }

    /// <summary>Keep BF16 weights as BF16 (half the bytes) instead of widening them to F32.</summary>
    public bool KeepBF16 { get; init; }

    /// <summary>Most tokens one forward pass takes (sizes the preallocated activations).</summary>
    public int MaxBatchTokens { get; init; } = 512;

    /// <summary>Cap on the context length (rope table size); null uses the config's max_position_embeddings.</summary>
    public int? MaxContext { get; init; }
}
