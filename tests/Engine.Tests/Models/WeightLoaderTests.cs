using LlmSuite.Engine.Formats;
using LlmSuite.Engine.Formats.Gguf;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tensors;
using LlmSuite.Engine.Tests.Formats;

namespace LlmSuite.Engine.Tests.Models;

public class WeightLoaderTests
{
    [Fact]
    public void Matrix_Q4KTensor_BecomesQ8WithinQuantizationError()
    {
        // 512 values = [2, 256] Q4_K blocks from the Python reference (scripts/reference/ggml_quants.py)
        object[] rec = DequantizeTests.Records().First(r => (uint)r[1] == 12);
        byte[] blocks = (byte[])rec[2];
        float[] expected = (float[])rec[3];
        string path = Path.Combine(TestFiles.TempDir(), "q4k.gguf");
        File.WriteAllBytes(path, new TestFiles.GgufBuilder().Tensor("w", new long[] { 2, 256 }, 12, blocks).Build());
        using GgufFile f = GgufFile.Open(path);
        using WeightMatrix w = new WeightLoader(f, new ModelLoadOptions()).Matrix("w", 2, 256);
        Assert.Equal(WeightType.Q8_0, w.Type);
        float[] row = new float[256];
        for (int r = 0; r < 2; r++)
        {
            w.ReadRow(r, row);
            for (int i = 0; i < 256; i++)
            {
                float x = expected[r * 256 + i];
                float blockMax /* Q8_0 error: d/2 plus f16 rounding of d (<= 127 d 2^-11) */ = expected.Skip(r * 256 + i / 32 * 32).Take(32).Max(Math.Abs);
                Assert.True(Math.Abs(row[i] - x) <= blockMax / 127 * 0.6 + 1e-6, $"row {r} value {i}: {row[i]} vs {x}");
            }
        }
    }

    [Fact]
    public void UnpermuteRows_InvertsLlamaCppPermutation()
    {
        // 2 heads of width 4: llama.cpp row order per head is (0, 2, 1, 3)
        byte[] permuted = { 0, 2, 1, 3, 4, 6, 5, 7 };
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }, WeightLoader.UnpermuteRows(permuted, 8, 2));
    }

    [Fact]
    public void Vector_WrongLength_ThrowsNamingTensor()
    {
        using var src = LlmSuite.Engine.Formats.SafeTensors.SafeTensorsCheckpoint.Open(Golden.Dir("llama"));
        var e = Assert.Throws<InvalidDataException>(() => new WeightLoader(src, new ModelLoadOptions()).Vector("model.norm.weight", 32));
        Assert.Contains("model.norm.weight", e.Message);
        Assert.Contains("[64]", e.Message);
    }
}
