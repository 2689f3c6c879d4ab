namespace LlmSuite.Engine.Tensors;

/// <summary>
/// GGUF / llama.cpp Q8_0 block format: 32 values share one scale d (stored as f16); value = d * q, q in [-127, 127].
/// A GGUF block is 34 bytes: the f16 scale (little-endian) followed by 32 int8 quants.
/// </summary>
public static class Q8_0
{
    /// <summary>Values per block.</summary>
    public const int BlockSize = 32;

    /// <summary>Bytes per GGUF block (2-byte f16 scale + 32 int8).</summary>
    public const int BlockBytes = 34;

    /// <summary>
    /// Quantizes one block exactly like llama.cpp's quantize_row_q8_0_ref:
    /// d = amax / 127, q = roundf(x * (1 / d)) (ties away from zero), scale stored as f16.
    /// </summary>
    public static Half QuantizeBlock(ReadOnlySpan<float> x /*[32]*/, Span<sbyte> q /*[32]*/)
    {
        if (x.Length != BlockSize || q.Length != BlockSize)
        {
            throw new ArgumentException($"a Q8_0 block has {BlockSize} values; got x {x.Length}, q {q.Length}");
        }
        float amax = 0f;
        for (int i = 0; i < BlockSize; i++)
        {
            amax = MathF.Max(amax, MathF.Abs(x[i]));
        }
        float d = amax / 127f;
        float id = d != 0f ? 1f / d : 0f;
        for (int i = 0; i < BlockSize; i++)
        {
            q[i] = (sbyte)MathF.Round(x[i] * id, MidpointRounding.AwayFromZero);
        }
        return (Half)d;
    }

    /// <summary>Quantizes a row of floats (length a multiple of 32) into raw GGUF Q8_0 blocks.</summary>
    public static void QuantizeRow(ReadOnlySpan<float> x /*[k]*/, Span<byte> blocks /*[k / 32 * 34]*/)
    {
        if (x.Length % BlockSize != 0 || blocks.Length != x.Length / BlockSize * BlockBytes)
        {
            throw new ArgumentException($"Q8_0 row: length {x.Length} must be a multiple of {BlockSize} and blocks must hold {x.Length / BlockSize * BlockBytes} bytes (got {blocks.Length})");
        }
        Span<sbyte> q = stackalloc sbyte[BlockSize];
        for (int b = 0; b < x.Length / BlockSize; b++)
        {
            Half d = QuantizeBlock(x.Slice(b * BlockSize, BlockSize), q);
            Span<byte> block = blocks.Slice(b * BlockBytes, BlockBytes);
            BitConverter.TryWriteBytes(block, BitConverter.HalfToUInt16Bits(d));
            for (int i = 0; i < BlockSize; i++)
            {
                block[2 + i] = (byte)q[i];
            }
        }
    }

    /// <summary>Dequantizes raw GGUF Q8_0 blocks into floats: x = f32(d) * q.</summary>
    public static void DequantizeRow(ReadOnlySpan<byte> blocks /*[k / 32 * 34]*/, Span<float> x /*[k]*/)
    {
        if (x.Length % BlockSize != 0 || blocks.Length != x.Length / BlockSize * BlockBytes)
        {
            throw new ArgumentException($"Q8_0 row: length {x.Length} must be a multiple of {BlockSize} and blocks must hold {x.Length / BlockSize * BlockBytes} bytes (got {blocks.Length})");
        }
        for (int b = 0; b < x.Length / BlockSize; b++)
        {
            ReadOnlySpan<byte> block = blocks.Slice(b * BlockBytes, BlockBytes);
            float d = (float)BitConverter.UInt16BitsToHalf((ushort)(block[0] | (block[1] << 8)));
            for (int i = 0; i < BlockSize; i++)
            {
                x[b * BlockSize + i] = d * (sbyte)block[2 + i];
            }
        }
    }
}
