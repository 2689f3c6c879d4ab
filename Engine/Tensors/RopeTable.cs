using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// Rotary position embedding in the HF "rotate_half" (NeoX) convention: dimension i is paired with i + headDim/2.
/// cos/sin are precomputed (in double, stored as float) for every position below maxPositions.
/// </summary>
public sealed class RopeTable
{
    private readonly float[] _cos; // [maxPositions, headDim / 2]
    private readonly float[] _sin; // [maxPositions, headDim / 2]

    /// <summary>
    /// Precomputes cos/sin of position · inv_freq, inv_freq = theta^(-2i/headDim), optionally scaled; the table takes
    /// maxPositions · headDim · 4 bytes, so pass the context length actually served rather than a model's maximum.
    /// </summary>
    public RopeTable(int headDim, int maxPositions, double theta, RopeScaling? scaling = null)
    {
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ArgumentException($"headDim must be positive and even, got {headDim}", nameof(headDim));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPositions);
        if (!(theta > 0))
        {
            throw new ArgumentException($"rope theta must be positive, got {theta}", nameof(theta));
        }
        HeadDim = headDim;
        MaxPositions = maxPositions;
        int half = headDim / 2;
        var inv = new double[half];
        for (int i = 0; i < half; i++)
        {
            inv[i] = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
        }
        scaling?.Scale(inv);
        _cos = new float[(long)maxPositions * half];
        _sin = new float[(long)maxPositions * half];
        for (int p = 0; p < maxPositions; p++)
        {
            for (int i = 0; i < half; i++)
            {
                double angle = p * inv[i];
                _cos[p * half + i] = (float)Math.Cos(angle);
                _sin[p * half + i] = (float)Math.Sin(angle);
            }
        }
    }

    /// <summary>Dimension of one head.</summary>
    public int HeadDim { get; }

    /// <summary>Positions the table covers: [0, MaxPositions).</summary>
    public int MaxPositions { get; }

    /// <summary>Rotates x [tokens, heads, headDim] in place; token t uses position positions[t].</summary>
    public void Apply(Span<float> x /*[tokens, heads, headDim], in place*/, ReadOnlySpan<int> positions /*[tokens]*/, int heads)
        => Apply(x, positions, heads, Simd.Best);

    /// <summary>Apply on a forced SIMD width (parity tests).</summary>
    internal unsafe void Apply(Span<float> x /*[tokens, heads, headDim], in place*/, ReadOnlySpan<int> positions /*[tokens]*/, int heads, SimdWidth width)
    {
        Simd.Require(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        if (x.Length != (long)positions.Length * heads * HeadDim)
        {
            throw new ArgumentException($"x holds {x.Length} floats but [tokens={positions.Length}, heads={heads}, headDim={HeadDim}] needs {(long)positions.Length * heads * HeadDim}", nameof(x));
        }
        int half = HeadDim / 2;
        for (int t = 0; t < positions.Length; t++)
        {
            int p = positions[t];
            if ((uint)p >= (uint)MaxPositions)
            {
                throw new ArgumentOutOfRangeException(nameof(positions), $"position {p} of token {t} is outside the rope table [0, {MaxPositions})");
            }
            ReadOnlySpan<float> cos = _cos.AsSpan(p * half, half);
            ReadOnlySpan<float> sin = _sin.AsSpan(p * half, half);
            fixed (float* c = cos)
            fixed (float* s = sin)
            fixed (float* xt = x.Slice(t * heads * HeadDim, heads * HeadDim))
            {
                for (int h = 0; h < heads; h++)
                {
                    float* head = xt + h * HeadDim;
                    switch (Simd.ForFloat(width))
                    {
                        case SimdWidth.Vector512: Rotate<Vec512, Vector512<float>>(head, c, s, half); break;
                        case SimdWidth.Vector256: Rotate<Vec256, Vector256<float>>(head, c, s, half); break;
                        case SimdWidth.Vector128: Rotate<Vec128, Vector128<float>>(head, c, s, half); break;
                        default: RotateScalar(new Span<float>(head, HeadDim), cos, sin); break;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot kernel: fully optimized from the first call
    private static unsafe void Rotate<T, TV>(float* head /*[2 * half]*/, float* cos /*[half]*/, float* sin /*[half]*/, int half) where T : IVecOps<TV> where TV : struct
    {
        int i = 0;
        for (; i + T.Count <= half; i += T.Count)
        {
            TV a = T.Load(head + i), b = T.Load(head + half + i), c = T.Load(cos + i), s = T.Load(sin + i);
            T.Store(T.Sub(T.Mul(a, c), T.Mul(b, s)), head + i);
            T.Store(T.Add(T.Mul(b, c), T.Mul(a, s)), head + half + i);
        }
        for (; i < half; i++)
        {
            float a = head[i], b = head[i + half];
            head[i] = a * cos[i] - b * sin[i];
            head[i + half] = b * cos[i] + a * sin[i];
        }
    }

    /// <summary>Scalar reference: rotates one head [headDim] with cos/sin [headDim / 2].</summary>
    internal static void RotateScalar(Span<float> head /*[headDim]*/, ReadOnlySpan<float> cos /*[headDim/2]*/, ReadOnlySpan<float> sin /*[headDim/2]*/)
    {
        int half = cos.Length;
        for (int i = 0; i < half; i++)
        {
            float a = head[i], b = head[i + half];
            head[i] = a * cos[i] - b * sin[i];
            head[i + half] = b * cos[i] + a * sin[i];
        }
    }
}
