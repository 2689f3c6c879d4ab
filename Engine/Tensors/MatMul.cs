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
        Validate(x, m, w, bias, y, "w", "bias", "y");
        if (m == 0)
        {
            return;
        }
        fixed (float* px = x)
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            Run(new Segments(Operands(px, m, w, pb, bias.IsEmpty, py)), w.Type, width);
        }
    }

    /// <summary>
    /// y0 = x · W0ᵀ + b0, y1 = x · W1ᵀ + b1 (e.g. the gate and up projections) in one parallel op; the same numbers
    /// as two <see cref="Forward(ReadOnlySpan{float}, int, WeightMatrix, ReadOnlySpan{float}, Span{float})"/> calls.
    /// The weights must share k and type; otherwise the products run one after the other.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x /*[m, k]*/, int m,
        WeightMatrix w0 /*[n0, k]*/, ReadOnlySpan<float> b0 /*[n0] or empty*/, Span<float> y0 /*[m, n0]*/,
        WeightMatrix w1 /*[n1, k]*/, ReadOnlySpan<float> b1 /*[n1] or empty*/, Span<float> y1 /*[m, n1]*/)
        => Forward(x, m, w0, b0, y0, w1, b1, y1, null, default, default, 2);

    /// <summary>
    /// Three products sharing x in one parallel op (e.g. the q, k and v projections); the same numbers as three
    /// separate calls. The weights must share k and type; otherwise the products run one after the other.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x /*[m, k]*/, int m,
        WeightMatrix w0 /*[n0, k]*/, ReadOnlySpan<float> b0 /*[n0] or empty*/, Span<float> y0 /*[m, n0]*/,
        WeightMatrix w1 /*[n1, k]*/, ReadOnlySpan<float> b1 /*[n1] or empty*/, Span<float> y1 /*[m, n1]*/,
        WeightMatrix w2 /*[n2, k]*/, ReadOnlySpan<float> b2 /*[n2] or empty*/, Span<float> y2 /*[m, n2]*/)
        => Forward(x, m, w0, b0, y0, w1, b1, y1, w2, b2, y2, 3);

    private static unsafe void Forward(ReadOnlySpan<float> x, int m,
        WeightMatrix w0, ReadOnlySpan<float> b0, Span<float> y0,
        WeightMatrix w1, ReadOnlySpan<float> b1, Span<float> y1,
        WeightMatrix? w2, ReadOnlySpan<float> b2, Span<float> y2, int count)
    {
        ArgumentNullException.ThrowIfNull(w0);
        ArgumentNullException.ThrowIfNull(w1);
        if (count == 3)
        {
            ArgumentNullException.ThrowIfNull(w2);
        }
        bool fusable = w1.Type == w0.Type && w1.Cols == w0.Cols && (count == 2 || (w2!.Type == w0.Type && w2.Cols == w0.Cols));
        if (!fusable)
        {
            Forward(x, m, w0, b0, y0);
            Forward(x, m, w1, b1, y1);
            if (count == 3)
            {
                Forward(x, m, w2!, b2, y2);
            }
            return;
        }
        Validate(x, m, w0, b0, y0, "w0", "b0", "y0");
        Validate(x, m, w1, b1, y1, "w1", "b1", "y1");
        if (count == 3)
        {
            Validate(x, m, w2!, b2, y2, "w2", "b2", "y2");
        }
        if (y0.Overlaps(y1) || (count == 3 && (y2.Overlaps(y0) || y2.Overlaps(y1))))
        {
            throw new ArgumentException("the outputs of a fused product must not overlap each other", y0.Overlaps(y1) ? nameof(y1) : nameof(y2));
        }
        if (m == 0)
        {
            return;
        }
        WeightType type = w0.Type;
        fixed (float* px = x)
        fixed (float* pb0 = b0)
        fixed (float* py0 = y0)
        fixed (float* pb1 = b1)
        fixed (float* py1 = y1)
        fixed (float* pb2 = b2)
        fixed (float* py2 = y2)
        {
            Args a0 = Operands(px, m, w0, pb0, b0.IsEmpty, py0);
            Args a1 = Operands(px, m, w1, pb1, b1.IsEmpty, py1);
            Args a2 = count == 3 ? Operands(px, m, w2!, pb2, b2.IsEmpty, py2) : a0;
            Run(new Segments(count, a0, a1, a2), type, type == WeightType.Q8_0 ? Simd.BestQ8 : Simd.Best);
        }
    }

    private static unsafe Args Operands(float* x, int m, WeightMatrix w, float* bias, bool noBias, float* y)
        => new(x, m, w.Cols, w.Data, w.Scales, w.Rows, noBias ? null : bias, y);

    private static void Run(in Segments products, WeightType type, SimdWidth width)
    {
        switch (type)
        {
            case WeightType.F32:
                RunFloat(products, width, bf16: false);
                break;
            case WeightType.BF16:
                RunFloat(products, width, bf16: true);
                break;
            default:
                RunQ8_0(products, width);
                break;
        }
    }

    /// <summary>Argument checks; the parameter names are literals so a valid call allocates nothing.</summary>
    private static void Validate(ReadOnlySpan<float> x /*[m, k]*/, int m, WeightMatrix w /*[n, k]*/, ReadOnlySpan<float> bias, Span<float> y /*[m, n]*/, string wName, string biasName, string yName)
    {
        ArgumentNullException.ThrowIfNull(w, wName);
        int n = w.Rows, k = w.Cols;
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (x.Length != (long)m * k)
        {
            throw new ArgumentException($"x holds {x.Length} floats but [m={m}, k={k}] needs {(long)m * k}", nameof(x));
        }
        if (y.Length != (long)m * n)
        {
            throw new ArgumentException($"{yName} holds {y.Length} floats but [m={m}, n={n}] needs {(long)m * n}", yName);
        }
        if (!bias.IsEmpty && bias.Length != n)
        {
            throw new ArgumentException($"{biasName} holds {bias.Length} floats but the weight has n={n} rows (pass an empty span for no bias)", biasName);
        }
        if (y.Overlaps(x) || y.Overlaps(bias))
        {
            throw new ArgumentException($"{yName} must not overlap x or {biasName}: MatMul reads x while other threads write {yName}", yName);
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
