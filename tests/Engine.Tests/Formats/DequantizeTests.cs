using System.Buffers.Binary;
using LlmSuite.Engine.Formats;

namespace LlmSuite.Engine.Tests.Formats;

/// <summary>
/// Dequantizers against scripts/reference/ggml_quants.py (a Python port of ggml's block formats with ggml's float32
/// operation order): values must be bit-identical.
/// </summary>
public class DequantizeTests
{
    public static IEnumerable<object[]> Records()
    {
        byte[] all = File.ReadAllBytes(TestFiles.Data("Formats", "quants.bin"));
        int at = 0, index = 0;
        while (at < all.Length)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(all.AsSpan(at));
            int n = BinaryPrimitives.ReadInt32LittleEndian(all.AsSpan(at + 4));
            int bytes = BinaryPrimitives.ReadInt32LittleEndian(all.AsSpan(at + 8));
            at += 12;
            byte[] blocks = all.AsSpan(at, bytes).ToArray();
            at += bytes;
            float[] expected = new float[n];
            Buffer.BlockCopy(all, at, expected, 0, n * 4);
            at += n * 4;
            yield return new object[] { index++, type, blocks, expected };
        }
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void ToF32_MatchesGgmlReferenceBitForBit(int record, uint ggmlType, byte[] blocks, float[] expected)
    {
        TensorDType t = LlmSuite.Engine.Formats.Gguf.GgmlTypes.ToDType(ggmlType) ?? throw new InvalidOperationException($"record {record}: type {ggmlType}");
        float[] actual = new float[expected.Length];
        Dequantize.ToF32(t, blocks, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"record {record} ({t}) value {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Fact]
    public void Records_CoverEveryQuantizedFormat()
    {
        var types = Records().Select(r => (uint)r[1]).ToHashSet();
        Assert.Superset(new HashSet<uint> { 2, 8, 12, 14 }, types);
    }

    [Fact]
    public void ToF32_WrongByteCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => Dequantize.ToF32(TensorDType.Q4_K, new byte[143], new float[256]));
        Assert.Throws<ArgumentException>(() => Dequantize.ToF32(TensorDType.Q6_K, new byte[210], new float[255]));
    }

    [Fact]
    public void BF16_WidensUpperHalf()
    {
        float[] y = new float[2];
        Dequantize.BF16(new ushort[] { 0x3F80, 0xC040 }, y);
        Assert.Equal(new[] { 1f, -3f }, y);
    }
}
