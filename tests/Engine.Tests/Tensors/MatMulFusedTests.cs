using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

/// <summary>Fused products (q/k/v, gate/up) in one parallel op give exactly the numbers of separate calls.</summary>
public class MatMulFusedTests
{
    public static TheoryData<string, int> TypesAndM()
    {
        var data = new TheoryData<string, int>();
        foreach (var type in new[] { WeightType.F32, WeightType.BF16, WeightType.Q8_0 })
        {
            foreach (int m in new[] { 1, 3, 8, 20, 28, 40, 64, 70 })   // decode tiles, GEMM tiles, broadcast GEMM with padded blocks
            {
                data.Add(type.ToString(), m);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndM))]
    public void Forward_ThreeProducts_EqualsSeparateCalls(string typeName, int m)
    {
        var type = Enum.Parse<WeightType>(typeName);
        const int k = 1056;                                  // a k tail past the 1024 cache block, 33 Q8 blocks
        using WeightMatrix wq = Matrix(type, 70, k, 1), wk = Matrix(type, 9, k, 2), wv = Matrix(type, 33, k, 3);
        float[] x = TensorTestUtil.Random(m * k, 4);
        float[] bq = TensorTestUtil.Random(70, 5), bk = TensorTestUtil.Random(9, 6);
        var (q, kk, v) = (new float[m * 70], new float[m * 9], new float[m * 33]);
        var (q1, k1, v1) = (new float[m * 70], new float[m * 9], new float[m * 33]);

        MatMul.Forward(x, m, wq, bq, q, wk, bk, kk, wv, default, v);
        MatMul.Forward(x, m, wq, bq, q1);
        MatMul.Forward(x, m, wk, bk, k1);
        MatMul.Forward(x, m, wv, default, v1);

        Assert.Equal(q1, q);
        Assert.Equal(k1, kk);
        Assert.Equal(v1, v);
    }

    [Theory]
    [MemberData(nameof(TypesAndM))]
    public void Forward_TwoProducts_EqualsSeparateCalls(string typeName, int m)
    {
        var type = Enum.Parse<WeightType>(typeName);
        const int k = 256;
        using WeightMatrix gate = Matrix(type, 300, k, 7), up = Matrix(type, 300, k, 8);
        float[] x = TensorTestUtil.Random(m * k, 9);
        var (g, u, g1, u1) = (new float[m * 300], new float[m * 300], new float[m * 300], new float[m * 300]);

        MatMul.Forward(x, m, gate, default, g, up, default, u);
        MatMul.Forward(x, m, gate, default, g1);
        MatMul.Forward(x, m, up, default, u1);

        Assert.Equal(g1, g);
        Assert.Equal(u1, u);
    }

    [Fact]
    public void Forward_MixedTypes_RunsSeparatelyWithTheSameNumbers()
    {
        using WeightMatrix f = Matrix(WeightType.F32, 12, 64, 1), q = Matrix(WeightType.Q8_0, 12, 64, 2);
        float[] x = TensorTestUtil.Random(2 * 64, 3);
        var (a, b, a1, b1) = (new float[24], new float[24], new float[24], new float[24]);

        MatMul.Forward(x, 2, f, default, a, q, default, b);
        MatMul.Forward(x, 2, f, default, a1);
        MatMul.Forward(x, 2, q, default, b1);

        Assert.Equal(a1, a);
        Assert.Equal(b1, b);
    }

    [Fact]
    public void Forward_OverlappingOutputs_ThrowsNamingTheOutput()
    {
        using WeightMatrix w0 = Matrix(WeightType.F32, 8, 16, 1), w1 = Matrix(WeightType.F32, 8, 16, 2);
        float[] x = TensorTestUtil.Random(16, 3);
        float[] y = new float[12];

        var e = Assert.Throws<ArgumentException>(() => MatMul.Forward(x, 1, w0, default, y.AsSpan(0, 8), w1, default, y.AsSpan(4, 8)));

        Assert.Equal("y1", e.ParamName);
    }

    [Fact]
    public void Forward_WrongSecondOutputLength_ThrowsNamingIt()
    {
        using WeightMatrix w0 = Matrix(WeightType.F32, 8, 16, 1), w1 = Matrix(WeightType.F32, 5, 16, 2);
        float[] x = TensorTestUtil.Random(16, 3);

        var e = Assert.Throws<ArgumentException>(() => MatMul.Forward(x, 1, w0, default, new float[8], w1, default, new float[4]));

        Assert.Equal("y1", e.ParamName);
        Assert.Contains("n=5", e.Message);
    }

    private static WeightMatrix Matrix(WeightType type, int rows, int cols, int seed)
    {
        float[] w = TensorTestUtil.Random(rows * cols, 100 + seed);
        return type switch
        {
            WeightType.F32 => WeightMatrix.FromF32(w, rows, cols),
            WeightType.BF16 => WeightMatrix.FromBF16(w.Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)).ToArray(), rows, cols, keepBF16: true),
            _ => QuantizedCopy(w, rows, cols),
        };
    }

    private static WeightMatrix QuantizedCopy(float[] w, int rows, int cols)
    {
        using var f = WeightMatrix.FromF32(w, rows, cols);
        return f.QuantizeQ8_0();
    }
}
