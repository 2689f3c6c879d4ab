using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

public class Q8_0Tests
{
    [Fact]
    public void QuantizeRow_HandComputedBlock_MatchesLlamaCppLayoutAndRounding()
    {
        // amax = 127 → d = 1 (f16 0x3C00), 1/d = 1; llama.cpp's roundf rounds ties away from zero: 2.5 → 3, -0.5 → -1
        var x = new float[32];
        float[] head = [127f, 2.5f, -2.5f, 0.5f, -0.5f, 1.49f, -126.6f];
        head.CopyTo(x, 0);
        var blocks = new byte[34];
        Q8_0.QuantizeRow(x, blocks);
        byte[] expected = new byte[34];
        byte[] expectedHead = [0x00, 0x3C, 127, 3, unchecked((byte)-3), 1, unchecked((byte)-1), 1, unchecked((byte)-127)];
        expectedHead.CopyTo(expected, 0);
        Assert.Equal(expected, blocks);
    }

    [Fact]
    public void QuantizeRow_NonUnitScale_StoresF16ScaleAndRoundsWithFullPrecisionInverse()
    {
        // x_i = (i - 16) / 2: amax = 8, d = 8/127 → f16 0x2C08 (0.06298828125); q_i = roundf(x_i * 127/8)
        var x = new float[32];
        for (int i = 0; i < 32; i++)
        {
            x[i] = (i - 16) * 0.5f;
        }
        var blocks = new byte[34];
        Q8_0.QuantizeRow(x, blocks);
        Assert.Equal(0x08, blocks[0]);
        Assert.Equal(0x2C, blocks[1]);
        Assert.Equal(-127, (sbyte)blocks[2 + 0]);   // -8 * 15.875
        Assert.Equal(-119, (sbyte)blocks[2 + 1]);   // -7.5 * 15.875 = -119.06
        Assert.Equal(-8, (sbyte)blocks[2 + 15]);    // -0.5 * 15.875 = -7.94
        Assert.Equal(0, (sbyte)blocks[2 + 16]);
        Assert.Equal(119, (sbyte)blocks[2 + 31]);   // 7.5 * 15.875
        var back = new float[32];
        Q8_0.DequantizeRow(blocks, back);
        Assert.Equal(0.06298828125f * -127, back[0]);
        Assert.Equal(0.06298828125f * 119, back[31]);
    }

    [Fact]
    public void FromQ8_0_RawGgufBlocks_ReadRowDequantizes()
    {
        float[] x = TensorTestUtil.Random(2 * 64, 11);
        var blocks = new byte[2 * 2 * 34];
        Q8_0.QuantizeRow(x, blocks);
        using var w = WeightMatrix.FromQ8_0(blocks, 2, 64);
        Assert.Equal(WeightType.Q8_0, w.Type);
        Assert.Equal(2 * 64 + 2 * 2 * 2, w.ByteSize);
        var expected = new float[128];
        Q8_0.DequantizeRow(blocks, expected);
        var row = new float[64];
        w.ReadRow(1, row);
        Assert.Equal(expected.AsSpan(64).ToArray(), row);
    }

    [Fact]
    public void QuantizeQ8_0_FromF32_MatchesQuantizeRow()
    {
        float[] x = TensorTestUtil.Random(3 * 96, 12, 3f);
        using var f = WeightMatrix.FromF32(x, 3, 96);
        using var q = f.QuantizeQ8_0();
        var blocks = new byte[3 * 3 * 34];
        Q8_0.QuantizeRow(x, blocks);
        var expected = new float[x.Length];
        Q8_0.DequantizeRow(blocks, expected);
        var row = new float[96];
        for (int r = 0; r < 3; r++)
        {
            q.ReadRow(r, row);
            Assert.Equal(expected.AsSpan(r * 96, 96).ToArray(), row);
        }
    }

    [Fact]
    public void FromQ8_0_ColsNotMultipleOf32_ThrowsWithMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => WeightMatrix.FromQ8_0(new byte[34], 1, 31));
        Assert.Contains("multiple of 32", ex.Message);
    }

    [Fact]
    public void FromQ8_0_InfiniteScale_Throws()
    {
        var blocks = new byte[34];
        blocks[0] = 0x00;
        blocks[1] = 0x7C; // +inf
        Assert.Throws<ArgumentException>(() => WeightMatrix.FromQ8_0(blocks, 1, 32));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(17)]
    public void Forward_Q8_0_MatchesF32OnDequantizedWeightsWithinActivationQuantizationBound(int m)
    {
        // The Q8_0 path also quantizes x per block of 32 (d_x = amax/127, |x - x̂| ≤ d_x/2), so
        // |y_q8 - y_f32(dequantized W)| ≤ Σ_blocks d_x/2 · Σ|w| (+ 1e-5 · Σ|x·w| float slack). Checked exactly.
        const int n = 13, k = 1024;
        using var f = WeightMatrix.FromF32(TensorTestUtil.Random(n * k, 50), n, k);
        using var q = f.QuantizeQ8_0();
        float[] x = TensorTestUtil.Random(m * k, 51, 2f);
        var wDeq = new float[n * k];
        for (int j = 0; j < n; j++)
        {
            q.ReadRow(j, wDeq.AsSpan(j * k, k));
        }
        var y = new float[m * n];
        MatMul.Forward(x, m, q, default, y);
        float[] reference = TensorTestUtil.ReferenceMatMul(x, m, wDeq, n, k, null);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double bound = 0, magnitude = 0;
                for (int b = 0; b < k / 32; b++)
                {
                    double amax = 0, wsum = 0;
                    for (int c = b * 32; c < b * 32 + 32; c++)
                    {
                        amax = Math.Max(amax, Math.Abs(x[i * k + c]));
                        wsum += Math.Abs(wDeq[j * k + c]);
                        magnitude += Math.Abs(x[i * k + c] * wDeq[j * k + c]);
                    }
                    bound += amax / 127 / 2 * wsum;
                }
                double error = Math.Abs(y[i * n + j] - reference[i * n + j]);
                Assert.True(error <= bound + 1e-5 * magnitude, $"y[{i},{j}] error {error:G3} > bound {bound:G3}");
                Assert.True(error <= 0.02 * magnitude, $"y[{i},{j}] error {error:G3} is not small relative to Σ|x·w| = {magnitude:G3}");
            }
        }
    }
}
