using LlmSuite.Engine.Tensors;

namespace LlmSuite.EngineBench;

/// <summary>Seeded random inputs and weight matrices.</summary>
internal static class Data
{
    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < length; i++)
        {
            a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }
        return a;
    }

    /// <summary>A random [rows, cols] matrix of the given type (Q8_0 built directly from random blocks).</summary>
    public static WeightMatrix Matrix(WeightType type, int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        switch (type)
        {
            case WeightType.Q8_0:
                var blocks = new byte[(long)rows * cols / Q8_0.BlockSize * Q8_0.BlockBytes];
                rng.NextBytes(blocks);
                for (long b = 0; b < blocks.Length; b += Q8_0.BlockBytes)
                {
                    BitConverter.TryWriteBytes(blocks.AsSpan((int)b, 2), BitConverter.HalfToUInt16Bits((Half)(0.001f + 0.001f * rng.NextSingle())));
                }
                return WeightMatrix.FromQ8_0(blocks, rows, cols);
            case WeightType.BF16:
                var bf = new ushort[rows * cols];
                for (int i = 0; i < bf.Length; i++)
                {
                    bf[i] = (ushort)(BitConverter.SingleToInt32Bits((rng.NextSingle() - 0.5f) * 0.04f) >> 16);
                }
                return WeightMatrix.FromBF16(bf, rows, cols, keepBF16: true);
            default:
                return WeightMatrix.FromF32(Random(rows * cols, seed, 0.02f), rows, cols);
        }
    }
}
