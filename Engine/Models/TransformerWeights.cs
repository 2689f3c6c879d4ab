using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Models;

/// <summary>All weights of a decoder-only transformer. d = hidden, V = vocab.</summary>
public sealed class TransformerWeights : IDisposable
{
    /// <summary>Token embedding [V, d] (rows read by lookup).</summary>
    public required WeightMatrix Embedding { get; init; }
    /// <summary>Decoder layers.</summary>
    public required LayerWeights[] Layers { get; init; }
    /// <summary>Final RMSNorm weight [d].</summary>
    public required float[] FinalNorm { get; init; }
    /// <summary>LM head [V, d]; the same object as <see cref="Embedding"/> when tied.</summary>
    public required WeightMatrix LmHead { get; init; }

    /// <summary>Bytes of matrix weights read per decode step (layers plus LM head).</summary>
    public long ByteSize => Layers.Sum(l => l.ByteSize) + LmHead.ByteSize;

    /// <summary>Frees the native weight memory.</summary>
    public void Dispose()
    {
        foreach (LayerWeights l in Layers)
        {
            l.Dispose();
        }
        if (!ReferenceEquals(LmHead, Embedding))
        {
            LmHead.Dispose();
        }
        Embedding.Dispose();
    }
}
