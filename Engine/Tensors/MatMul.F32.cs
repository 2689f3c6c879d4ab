namespace LlmSuite.Engine.Tensors;

public static partial class MatMul
{
    private static void RunF32(ref Args args)
    {
        var job = new F32Job(args);
        WorkerPool.For(Items(args.N), ref job, MinItemsPerChunk(args.K * sizeof(float)));
    }

    private static void RunBF16(ref Args args)
    {
        var job = new BF16Job(args);
        WorkerPool.For(Items(args.N), ref job, MinItemsPerChunk(args.K * sizeof(ushort)));
    }

    private readonly unsafe struct F32Job(Args args) : IParallelJob
    {
        private readonly Args _a = args;

        public void Execute(int start, int end)
        {
            int n0 = start * RowsPerItem, n1 = Math.Min(_a.N, end * RowsPerItem);
            F32Scalar(_a, n0, n1);
        }
    }

    private readonly unsafe struct BF16Job(Args args) : IParallelJob
    {
        private readonly Args _a = args;

        public void Execute(int start, int end)
        {
            int n0 = start * RowsPerItem, n1 = Math.Min(_a.N, end * RowsPerItem);
            BF16Scalar(_a, n0, n1);
        }
    }

    /// <summary>Scalar reference: rows [n0, n1) of y for F32 weights.</summary>
    internal static unsafe void F32Scalar(in Args a, int n0, int n1)
    {
        float* w = (float*)a.W;
        for (int j = n0; j < n1; j++)
        {
            float* wr = w + (long)j * a.K;
            for (int i = 0; i < a.M; i++)
            {
                float* xr = a.X + (long)i * a.K;
                float sum = 0f;
                for (int c = 0; c < a.K; c++)
                {
                    sum += xr[c] * wr[c];
                }
                a.Y[(long)i * a.N + j] = sum + (a.Bias != null ? a.Bias[j] : 0f);
            }
        }
    }

    /// <summary>Scalar reference: rows [n0, n1) of y for BF16 weights (bf16 widened by a 16-bit shift).</summary>
    internal static unsafe void BF16Scalar(in Args a, int n0, int n1)
    {
        ushort* w = (ushort*)a.W;
        for (int j = n0; j < n1; j++)
        {
            ushort* wr = w + (long)j * a.K;
            for (int i = 0; i < a.M; i++)
            {
                float* xr = a.X + (long)i * a.K;
                float sum = 0f;
                for (int c = 0; c < a.K; c++)
                {
                    sum += xr[c] * BitConverter.Int32BitsToSingle(wr[c] << 16);
                }
                a.Y[(long)i * a.N + j] = sum + (a.Bias != null ? a.Bias[j] : 0f);
            }
        }
    }
}
