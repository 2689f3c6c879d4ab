using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

/// <summary>Elementwise activations of the feed-forward block.</summary>
public static class Activations
{
    /// <summary>dst = silu(gate) * up, silu(g) = g / (1 + e^-g). dst may alias gate or up.</summary>
    public static void SwiGlu(ReadOnlySpan<float> gate /*[n]*/, ReadOnlySpan<float> up /*[n]*/, Span<float> dst /*[n]*/)
        => SwiGlu(gate, up, dst, Simd.Best);

    /// <summary>SwiGlu on a forced SIMD width (parity tests).</summary>
    internal static unsafe void SwiGlu(ReadOnlySpan<float> gate /*[n]*/, ReadOnlySpan<float> up /*[n]*/, Span<float> dst /*[n]*/, SimdWidth width)
    {
        if (gate.Length != up.Length || dst.Length != gate.Length)
        {
            throw new ArgumentException($"SwiGlu needs equal lengths; gate {gate.Length}, up {up.Length}, dst {dst.Length}");
        }
        Simd.Require(width);
        fixed (float* g = gate)
        fixed (float* u = up)
        fixed (float* d = dst)
        {
            switch (Simd.ForFloat(width))
            {
                case SimdWidth.Vector512: SwiGlu<Vec512, Vector512<float>>(g, u, d, gate.Length); break;
                case SimdWidth.Vector256: SwiGlu<Vec256, Vector256<float>>(g, u, d, gate.Length); break;
                case SimdWidth.Vector128: SwiGlu<Vec128, Vector128<float>>(g, u, d, gate.Length); break;
                default: SwiGluScalar(gate, up, dst); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void SwiGlu<T, TV>(float* gate, float* up, float* dst, int n) where T : IVecOps<TV> where TV : struct
    {
        TV one = T.Create(1f), zero = T.Create(0f);
        int i = 0;
        for (; i + T.Count <= n; i += T.Count)
        {
            TV g = T.Load(gate + i);
            T.Store(T.Mul(T.Div(g, T.Add(one, T.Exp(T.Sub(zero, g)))), T.Load(up + i)), dst + i);
        }
        for (; i < n; i++)
        {
            float g = gate[i];
            dst[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
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
