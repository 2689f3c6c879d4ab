using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Models;

/// <summary>Weights of one decoder layer. d = hidden, h = heads, g = kv heads, e = head dim, f = intermediate.</summary>
public sealed class LayerWeights : IDisposable
{
    /// <summary>Pre-attention RMSNorm weight [d].</summary>
    public required float[] AttnNorm { get; init; }
    /// <summary>Query projection [h * e, d].</summary>
    public required WeightMatrix Wq { get; init; }
    /// <summary>Key projection [g * e, d].</summary>
    public required WeightMatrix Wk { get; init; }
    /// <summary>Value projection [g * e, d].</summary>
    public required WeightMatrix Wv { get; init; }
    /// <summary>Output projection [d, h * e].</summary>
    public required WeightMatrix Wo { get; init; }
    /// <summary>Query bias [h * e] or empty.</summary>
    public float[] Bq { get; init; } = Array.Empty<float>();
    /// <summary>Key bias [g * e] or empty.</summary>
    public float[] Bk { get; init; } = Array.Empty<float>();
    /// <summary>Value bias [g * e] or empty.</summary>
    public float[] Bv { get; init; } = Array.Empty<float>();
    /// <summary>Output bias [d] or empty.</summary>
    public float[] Bo { get; init; } = Array.Empty<float>();
    /// <summary>Qwen3 per-head query RMSNorm weight [e], or null.</summary>
    public float[]? QNorm { get; init; }
    /// <summary>Qwen3 per-head key RMSNorm weight [e], or null.</summary>
    public float[]? KNorm { get; init; }
    /// <summary>Pre-MLP RMSNorm weight [d].</summary>
    public required float[] FfnNorm { get; init; }
    /// <summary>MLP gate projection [f, d].</summary>
    public required WeightMatrix Gate { get; init; }
    /// <summary>MLP up projection [f, d].</summary>
    public required WeightMatrix Up { get; init; }
    /// <summary>MLP down projection [d, f].</summary>
    public required WeightMatrix Down { get; init; }

    /// <summary>Bytes of matrix weights (what one decode step streams).</summary>
    public long ByteSize => Wq.ByteSize + Wk.ByteSize + Wv.ByteSize + Wo.ByteSize + Gate.ByteSize + Up.ByteSize + Down.ByteSize;

    /// <summary>Frees the native weight memory.</summary>
    public void Dispose()
    {
        Wq.Dispose();
        Wk.Dispose();
        Wv.Dispose();
        Wo.Dispose();
        Gate.Dispose();
        Up.Dispose();
        Down.Dispose();
    }
}
