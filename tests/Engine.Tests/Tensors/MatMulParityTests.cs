using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Tests.Tensors;

/// <summary>Every SIMD path of MatMul against its scalar reference, with tails in m, n and k.</summary>
public class MatMulParityTests
{
    public static TheoryData<string, int> WidthsAndM()
    {
        var data = new TheoryData<string, int>();
        foreach (var width in new[] { SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Vector128, SimdWidth.AvxVnni })
        {
            // 17, 23: 6x4 tiles; 24-32: the 8x32 broadcast tile; 33-48: 8x32 then a 16-wide 8x16 block; 49-64: the
            // 6x64 tile with a padded block; past 64 the last block is 16 (65, 80), 32 (96, 160) or 64 (97, 100) wide
            foreach (int m in new[] { 1, 2, 3, 5, 8, 17, 23, 24, 25, 32, 33, 40, 48, 49, 64, 65, 80, 96, 97, 100, 160 })
            {
                data.Add(width.ToString(), m);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndM))]
    public void Forward_F32EachWidth_MatchesScalar(string widthName, int m)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (int k in new[] { 1, 7, 16, 33, 100, 257, 2100 })   // 2100: three k cache blocks, the last with a tail
        {
            float[] w = TensorTestUtil.Random(9 * k, 20 + k);
            using var wm = WeightMatrix.FromF32(w, 9, k);
            Check(wm, m, width, $"F32 k={k}");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndM))]
    public void Forward_BF16EachWidth_MatchesScalar(string widthName, int m)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (int k in new[] { 1, 9, 48, 257, 1030 })
        {
            ushort[] w = TensorTestUtil.Random(7 * k, 30 + k).Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)).ToArray();
            using var wm = WeightMatrix.FromBF16(w, 7, k, keepBF16: true);
            Check(wm, m, width, $"BF16 k={k}");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndM))]
    public void Forward_Q8_0EachWidth_MatchesScalar(string widthName, int m)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        foreach (int k in new[] { 32, 96, 544, 1024, 2080 })   // 1, 3, 17, 32, 65 blocks: partial scale groups and k blocks
        {
            int n = k == 2080 ? 70 : 10;                          // 70 rows: two panels, and a tail of 2 rows
            using var f = WeightMatrix.FromF32(TensorTestUtil.Random(n * k, 40 + k), n, k);
            using var wm = f.QuantizeQ8_0();
            Check(wm, m, width, $"Q8_0 k={k}");
        }
    }

    private static WeightMatrix Dequantize(WeightMatrix w)
    {
        var all = new float[w.Rows * w.Cols];
        for (int j = 0; j < w.Rows; j++)
        {
            w.ReadRow(j, all.AsSpan(j * w.Cols, w.Cols));
        }
        return WeightMatrix.FromF32(all, w.Rows, w.Cols);
    }

    private static void Check(WeightMatrix w, int m, SimdWidth width, string what)
    {
        Assert.True(Simd.IsSupported(width), $"{width} is not supported on this CPU; the parity tests need an AVX-512 + AVX-VNNI machine");
        int n = w.Rows, k = w.Cols;
        float[] x = TensorTestUtil.Random(m * k, 7 * m + k);
        float[] bias = TensorTestUtil.Random(n, 5);
        var expected = new float[m * n];
        var actual = new float[m * n];
        if (w.Type == WeightType.Q8_0 && m >= MatMul.GemmMinM)
        {
            // prefill on Q8_0 multiplies f32 x with dequantized panels: its reference is the f32 scalar kernel
            using var dequantized = Dequantize(w);
            MatMul.Forward(x, m, dequantized, bias, expected, SimdWidth.Scalar);
        }
        else
        {
            MatMul.Forward(x, m, w, bias, expected, SimdWidth.Scalar);
        }
        MatMul.Forward(x, m, w, bias, actual, width);
        var row = new float[k];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // reordering a float sum changes it by at most ~k·eps·Σ|x·w|; 1e-5 relative to that magnitude
                w.ReadRow(j, row);
                double magnitude = Math.Abs(bias[j]);
                for (int c = 0; c < k; c++)
                {
                    magnitude += Math.Abs(x[i * k + c] * row[c]);
                }
                double error = Math.Abs(expected[i * n + j] - actual[i * n + j]);
                Assert.True(error <= 1e-5 * Math.Max(magnitude, 1e-3), $"{what} {width} m={m} y[{i},{j}]: scalar {expected[i * n + j]:R}, simd {actual[i * n + j]:R}");
            }
        }
    }
}
