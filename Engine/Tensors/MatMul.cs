namespace LlmSuite.Engine.Tensors;

/// <summary>
/// y[m, n] = x[m, k] · Wᵀ + bias[n] for W [n, k] in F32, BF16 or Q8_0. Work is split over output features
/// (weight rows) on the <see cref="WorkerPool"/>, so each weight row is streamed once for all m rows of x.
/// Allocation-free after the first call on a thread (per-thread scratch is kept).
/// Q8_0 numerics: for m &lt; 6 (decode) x is quantized per block of 32 to int8 (d = amax/127, kept in f32) and
/// multiplied with exact int8 dot products, like llama.cpp; for m ≥ 6 (prefill) weight blocks are dequantized to f32
/// panels and x stays f32, so prefill is slightly more exact than decode.
/// </summary>
public static partial class MatMul
{
    /// <summary>Weight rows one work item covers (the register tile height of the kernels).</summary>
    internal const int RowsPerItem = 4;

    /// <summary>y[m, n] = x[m, k] · Wᵀ + bias[n]; bias may be empty.</summary>
    public static void Forward(ReadOnlySpan<float> x /*[m, k]*/, int m, WeightMatrix w /*[n, k]*/, ReadOnlySpan<float> bias /*[n] or empty*/, Span<float> y /*[m, n]*/)
        => Forward(x, m, w, bias, y, w?.Type == WeightType.Q8_0 ? Simd.BestQ8 : Simd.Best);

    /// <summary>Forward on a forced SIMD width (tests compare every width with the scalar reference).</summary>
    internal static unsafe void Forward(ReadOnlySpan<float> x /*[m, k]*/, int m, WeightMatrix w /*[n, k]*/, ReadOnlySpan<float> bias /*[n] or empty*/, Span<float> y /*[m, n]*/, SimdWidth width)
    {
        Simd.Require(width);
        ArgumentNullException.ThrowIfNull(w);
        int n = w.Rows, k = w.Cols;
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (x.Length != (long)m * k)
        {
            throw new ArgumentException($"x holds {x.Length} floats but [m={m}, k={k}] needs {(long)m * k}", nameof(x));
        }
        if (y.Length != (long)m * n)
        {
            throw new ArgumentException($"y holds {y.Length} floats but [m={m}, n={n}] needs {(long)m * n}", nameof(y));
        }
        if (!bias.IsEmpty && bias.Length != n)
        {
            throw new ArgumentException($"bias holds {bias.Length} floats but the weight has n={n} rows (pass an empty span for no bias)", nameof(bias));
        }
        if (y.Overlaps(x) || y.Overlaps(bias))
        {
            throw new ArgumentException("y must not overlap x or bias: MatMul reads x while other threads write y", nameof(y));
        }
        if (m == 0)
        {
            return;
        }
        fixed (float* px = x)
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            var args = new Args(px, m, k, w.Data, w.Scales, n, bias.IsEmpty ? null : pb, py);
            switch (w.Type)
            {
                case WeightType.F32:
                    RunF32(ref args, width);
                    break;
                case WeightType.BF16:
                    RunBF16(ref args, width);
                    break;
                default:
                    RunQ8_0(ref args, width);
                    break;
            }
        }
    }

    /// <summary>Raw operands of one call; the spans are pinned for its duration.</summary>
    internal readonly unsafe struct Args(float* x, int m, int k, void* w, ushort* scales, int n, float* bias, float* y, float* xPacked = null)
    {
        /// <summary>x packed once per call for the broadcast GEMM ([mBlocks][kBlocks][BcKBlock][64]), or null.</summary>
        public readonly float* XPacked = xPacked;

        public readonly float* X = x;          // [m, k]
        public readonly int M = m;
        public readonly int K = k;
        public readonly void* W = w;           // [n, k] float / bf16 / int8
        public readonly ushort* Scales = scales; // Q8_0: [n, k / 32] f16
        public readonly int N = n;
        public readonly float* Bias = bias;    // [n] or null
        public readonly float* Y = y;          // [m, n]

        /// <summary>These operands with x already packed for the broadcast GEMM.</summary>
        public Args WithPackedX(float* xPacked) => new(X, M, K, W, Scales, N, Bias, Y, xPacked);
    }

    /// <summary>Work items (groups of <see cref="RowsPerItem"/> weight rows) for n output features.</summary>
    internal static int Items(int n) => (n + RowsPerItem - 1) / RowsPerItem;

    /// <summary>Minimum items per chunk so a chunk streams at least ~64 KiB of weights.</summary>
    internal static int MinItemsPerChunk(long bytesPerRow) => (int)Math.Clamp(65536 / Math.Max(1, bytesPerRow * RowsPerItem), 1, 1 << 16);
}
