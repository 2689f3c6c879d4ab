namespace LlmSuite.Engine.Tensors;

/// <summary>Elementwise activations of the feed-forward block.</summary>
public static class Activations
{
    /// <summary>dst = silu(gate) * up, silu(g) = g / (1 + e^-g). dst may alias gate or up.</summary>
    public static void SwiGlu(ReadOnlySpan<float> gate /*[n]*/, ReadOnlySpan<float> up /*[n]*/, Span<float> dst /*[n]*/)
    {
        if (gate.Length != up.Length || dst.Length != gate.Length)
        {
            throw new ArgumentException($"SwiGlu needs equal lengths; gate {gate.Length}, up {up.Length}, dst {dst.Length}");
        }
        SwiGluScalar(gate, up, dst);
    }

    /// <summary>Scalar reference.</summary>
    internal static void SwiGluScalar(ReadOnlySpan<float> gate /*[n]*/, ReadOnlySpan<float> up /*[n]*/, Span<float> dst /*[n]*/)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i];
            dst[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }
}
