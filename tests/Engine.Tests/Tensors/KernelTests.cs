using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

public class KernelTests
{
    [Fact]
    public void SoftmaxInPlace_LargeLogits_NoOverflowAndSumsToOne()
    {
        float[] x = [1000f, 999f, -1000f, 88.8f, 1000f, float.NegativeInfinity, 3e38f - 3e38f + 500f];
        Softmax.InPlace(x);
        double sum = 0;
        foreach (float v in x)
        {
            Assert.True(float.IsFinite(v) && v >= 0, $"not a probability: {v}");
            sum += v;
        }
        Assert.Equal(1.0, sum, 5);
        double e1 = Math.Exp(-1);
        Assert.Equal(1 / (2 + e1), x[0], 5);
        Assert.Equal(e1 / (2 + e1), x[1], 5);
        Assert.Equal(0f, x[5]);
    }

    [Fact]
    public void SoftmaxInPlace_AllNegativeInfinity_ThrowsClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Softmax.InPlace(new[] { float.NegativeInfinity, float.NegativeInfinity }));
        Assert.Contains("masked", ex.Message);
    }

    [Fact]
    public void RmsNormForward_TwoRows_MatchesDefinition()
    {
        float[] x = [1f, 2f, 3f, 4f, -1f, 0f, 0f, 1f];
        float[] w = [1f, 0.5f, 2f, 1f];
        var y = new float[8];
        RmsNorm.Forward(x, w, 1e-6f, y);
        double r0 = 1 / Math.Sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-6), r1 = 1 / Math.Sqrt(2 / 4.0 + 1e-6);
        float[] expected = [(float)(1 * r0), (float)(2 * r0 * 0.5), (float)(3 * r0 * 2), (float)(4 * r0), (float)(-r1), 0, 0, (float)r1];
        TensorTestUtil.AssertClose(expected, y, 1e-6);
    }

    [Fact]
    public void RmsNormForward_RowLengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => RmsNorm.Forward(new float[7], new float[4], 1e-5f, new float[7]));
    }

    [Fact]
    public void SwiGlu_KnownValues_MatchesSiluTimesUp()
    {
        float[] g = [0f, 1f, -1f, 20f, -100f];
        float[] u = [5f, 2f, 3f, 0.5f, 7f];
        var d = new float[5];
        Activations.SwiGlu(g, u, d);
        for (int i = 0; i < 5; i++)
        {
            double silu = g[i] / (1 + Math.Exp(-g[i]));
            Assert.Equal(silu * u[i], d[i], 5);
        }
    }

    [Fact]
    public void MatMulForward_WarmCall_DoesNotAllocate()
    {
        using var f = WeightMatrix.FromF32(TensorTestUtil.Random(64 * 256, 1), 64, 256);
        using var q = f.QuantizeQ8_0();
        ushort[] bf = TensorTestUtil.Random(64 * 256, 2).Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)).ToArray();
        using var b = WeightMatrix.FromBF16(bf, 64, 256, keepBF16: true);
        float[] x = TensorTestUtil.Random(8 * 256, 3);
        float[] bias = new float[64];
        float[] y = new float[8 * 64];
        foreach (var w in new[] { f, q, b })
        {
            foreach (int m in new[] { 1, 8 })
            {
                MatMul.Forward(x.AsSpan(0, m * 256), m, w, bias, y.AsSpan(0, m * 64)); // warm: JIT, pool start, scratch
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int r = 0; r < 10; r++)
                {
                    MatMul.Forward(x.AsSpan(0, m * 256), m, w, bias, y.AsSpan(0, m * 64));
                }
                long after = GC.GetAllocatedBytesForCurrentThread();
                Assert.True(after == before, $"{w.Type} m={m} allocated {after - before} bytes");
            }
        }
    }

    [Fact]
    public void MatMulForward_BF16Kept_MatchesF32Widened()
    {
        const int n = 9, k = 70, m = 5;
        ushort[] bf = TensorTestUtil.Random(n * k, 8).Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)).ToArray();
        using var kept = WeightMatrix.FromBF16(bf, n, k, keepBF16: true);
        using var widened = WeightMatrix.FromBF16(bf, n, k);
        Assert.Equal(WeightType.BF16, kept.Type);
        Assert.Equal(WeightType.F32, widened.Type);
        Assert.Equal(n * k * 2, kept.ByteSize);
        float[] x = TensorTestUtil.Random(m * k, 9);
        var a = new float[m * n];
        var c = new float[m * n];
        MatMul.Forward(x, m, kept, default, a);
        MatMul.Forward(x, m, widened, default, c);
        TensorTestUtil.AssertClose(c, a, 1e-5);
    }

    [Fact]
    public void FromF16_ConvertsToF32()
    {
        Half[] h = [(Half)1.5f, (Half)(-2f), (Half)0.0001f, (Half)65504f];
        using var w = WeightMatrix.FromF16(h, 2, 2);
        var row = new float[2];
        w.ReadRow(1, row);
        Assert.Equal(new[] { (float)(Half)0.0001f, 65504f }, row);
    }

    [Fact]
    public void MatMulForward_BiasWrongLength_ThrowsWithMessage()
    {
        using var w = WeightMatrix.FromF32(new float[6], 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => MatMul.Forward(new float[3], 1, w, new float[3], new float[2]));
        Assert.Contains("bias", ex.Message);
    }

    [Fact]
    public void MatMulForward_YOverlapsX_Throws()
    {
        using var w = WeightMatrix.FromF32(new float[4], 2, 2);
        var buffer = new float[4];
        var ex = Assert.Throws<ArgumentException>(() => MatMul.Forward(buffer.AsSpan(0, 2), 1, w, default, buffer.AsSpan(1, 2)));
        Assert.Contains("overlap", ex.Message);
    }
}
