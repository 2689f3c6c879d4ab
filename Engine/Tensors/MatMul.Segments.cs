namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    /// <summary>
    /// Up to three products that share x (same m and k, same weight type) run as one parallel op: the work items of
    /// the weights follow each other (items of W0, then W1, then W2), so one dispatch covers e.g. q, k and v, and a
    /// chunk that spans two weights computes rows of both.
    /// </summary>
    internal readonly struct Segments
    {
        private readonly Args _a0, _a1, _a2;
        private readonly int _start1, _start2;

        public Segments(in Args a0)
            : this(1, a0, a0, a0)
        {
        }

        public Segments(int count, in Args a0, in Args a1, in Args a2)
        {
            Count = count;
            _a0 = a0;
            _a1 = a1;
            _a2 = a2;
            _start1 = Items(a0.N);
            _start2 = _start1 + (count > 1 ? Items(a1.N) : 0);
            TotalItems = _start2 + (count > 2 ? Items(a2.N) : 0);
        }

        /// <summary>Products in this op (1 to 3).</summary>
        public int Count { get; }

        /// <summary>Work items of all products together.</summary>
        public int TotalItems { get; }

        /// <summary>The first product's operands (x, m and k are common to all).</summary>
        public Args First => _a0;

        /// <summary>Product <paramref name="s"/> and the index of its first work item.</summary>
        public (Args Args, int FirstItem) Get(int s) => s switch
        {
            0 => (_a0, 0),
            1 => (_a1, _start1),
            _ => (_a2, _start2),
        };

        /// <summary>The same products with x packed for the broadcast GEMM.</summary>
        public unsafe Segments WithPackedX(float* xPacked)
            => new(Count, _a0.WithPackedX(xPacked), _a1.WithPackedX(xPacked), _a2.WithPackedX(xPacked));

        /// <summary>Runs <paramref name="rows"/> on the weight rows of items [start, end) of each product they overlap.</summary>
        public void ForEach<TRows>(int start, int end, in TRows rows) where TRows : struct, ISegmentRows
        {
            for (int s = 0; s < Count; s++)
            {
                var (a, first) = Get(s);
                int from = Math.Max(start, first), to = Math.Min(end, first + Items(a.N));
                if (from < to)
                {
                    rows.Run(a, (from - first) * RowsPerItem, Math.Min(a.N, (to - first) * RowsPerItem));
                }
            }
        }
    }

    /// <summary>A kernel over weight rows [n0, n1) of one product.</summary>
    internal interface ISegmentRows
    {
        void Run(in Args a, int n0, int n1);
    }
}
