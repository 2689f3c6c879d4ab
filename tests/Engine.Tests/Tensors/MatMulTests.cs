using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

public class MatMulTests
{
    [Theory]
    [InlineData(1, 7, 5)]
    [InlineData(3, 33, 9)]
    [InlineData(17, 100, 13)]
    [InlineData(7, 1100, 300)]   // GEMM path: two k blocks, two n blocks of 256 rows, several pool chunks, a 2-row n tail
    [InlineData(8, 1030, 258)]   // 8 rows = two 4x4 tiles
    [InlineData(3, 2049, 70)]    // decode path over three k blocks
    public void Forward_F32_MatchesDoubleReference(int m, int k, int n)
    {
        float[] x = TensorTestUtil.Random(m * k, 1);
        float[] w = TensorTestUtil.Random(n * k, 2);
        float[] bias = TensorTestUtil.Random(n, 3);
        using var wm = WeightMatrix.FromF32(w, n, k);
        var y = new float[m * n];
        MatMul.Forward(x, m, wm, bias, y);
        TensorTestUtil.AssertClose(TensorTestUtil.ReferenceMatMul(x, m, w, n, k, bias), y, 1e-5);
    }

    [Fact]
    public void Forward_WrongXLength_ThrowsArgumentException()
    {
        using var wm = WeightMatrix.FromF32(new float[6], 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => MatMul.Forward(new float[5], 2, wm, default, new float[4]));
        Assert.Contains("m=2", ex.Message);
    }
}
