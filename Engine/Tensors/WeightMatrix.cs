using System.Runtime.Intrinsics;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// Weight matrix W [rows = out features n, cols = in features k], row-major, in 64-byte aligned native memory.
/// F32 and BF16 are stored as-is; Q8_0 is stored as two planes, quants [rows, cols] in offset binary (q + 128 as a
/// byte, the unsigned operand AVX-VNNI multiplies) and f16 scales [rows, cols / 32], so kernels stream each row
/// contiguously.
/// </summary>
public sealed unsafe class WeightMatrix : IDisposable
{
    private readonly NativeBuffer _data;     // F32: float[rows*cols]; BF16: ushort[rows*cols]; Q8_0: byte[rows*cols] = q + 128
    private readonly NativeBuffer? _scales;  // Q8_0 only: f16 bits [rows, cols / 32]

    private WeightMatrix(int rows, int cols, WeightType type)
    {
        if (rows <= 0 || cols <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"a weight matrix needs positive dimensions, got [{rows}, {cols}]");
        }
        if (type == WeightType.Q8_0 && cols % Q8_0.BlockSize != 0)
        {
            throw new ArgumentException($"Q8_0 needs cols to be a multiple of {Q8_0.BlockSize}; got cols = {cols}", nameof(cols));
        }
        Rows = rows;
        Cols = cols;
        Type = type;
        long elements = (long)rows * cols;
        _data = type switch
        {
            WeightType.F32 => new NativeBuffer(elements * sizeof(float)),
            WeightType.BF16 => new NativeBuffer(elements * sizeof(ushort)),
            _ => new NativeBuffer(elements),
        };
        if (type == WeightType.Q8_0)
        {
            _scales = new NativeBuffer(elements / Q8_0.BlockSize * sizeof(ushort));
        }
        ByteSize = _data.Bytes + (_scales?.Bytes ?? 0);
    }

    /// <summary>Output features n.</summary>
    public int Rows { get; }

    /// <summary>Input features k.</summary>
    public int Cols { get; }

    /// <summary>Storage / compute type.</summary>
    public WeightType Type { get; }

    /// <summary>Bytes of weight data read by one full pass over the matrix (quants plus scales for Q8_0).</summary>
    public long ByteSize { get; }

    /// <summary>Start of the element plane (float*, ushort* bf16 or byte* offset-binary quants depending on <see cref="Type"/>).</summary>
    internal void* Data => _data.Pointer;

    /// <summary>Q8_0 only: f16 scale bits [rows, cols / 32].</summary>
    internal ushort* Scales => _scales is null ? null : (ushort*)_scales.Pointer;

    /// <summary>Copies F32 weights.</summary>
    public static WeightMatrix FromF32(ReadOnlySpan<float> src /*[rows*cols]*/, int rows, int cols)
    {
        CheckLength(src.Length, rows, cols);
        var w = new WeightMatrix(rows, cols, WeightType.F32);
        src.CopyTo(w._data.AsSpan<float>(0, rows * cols));
        return w;
    }

    /// <summary>Converts F16 weights to F32 on load.</summary>
    public static WeightMatrix FromF16(ReadOnlySpan<Half> src /*[rows*cols]*/, int rows, int cols)
    {
        CheckLength(src.Length, rows, cols);
        var w = new WeightMatrix(rows, cols, WeightType.F32);
        System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(src, w._data.AsSpan<float>(0, rows * cols));
        return w;
    }

    /// <summary>BF16 weights: widened to F32 on load, or kept as BF16 (half the bytes, widened in the kernel).</summary>
    public static WeightMatrix FromBF16(ReadOnlySpan<ushort> src /*[rows*cols]*/, int rows, int cols, bool keepBF16 = false)
    {
        CheckLength(src.Length, rows, cols);
        var w = new WeightMatrix(rows, cols, keepBF16 ? WeightType.BF16 : WeightType.F32);
        if (keepBF16)
        {
            src.CopyTo(w._data.AsSpan<ushort>(0, rows * cols));
        }
        else
        {
            BFloat16.Widen(src, w._data.AsSpan<float>(0, rows * cols));
        }
        return w;
    }

    /// <summary>Raw GGUF Q8_0 blocks (34 bytes per 32 values: f16 scale + 32 int8), row-major; cols % 32 == 0.</summary>
    public static WeightMatrix FromQ8_0(ReadOnlySpan<byte> ggufBlocks /*[rows * cols / 32 * 34]*/, int rows, int cols)
    {
        var w = new WeightMatrix(rows, cols, WeightType.Q8_0);
        long blocks = (long)rows * cols / Q8_0.BlockSize;
        if (ggufBlocks.Length != blocks * Q8_0.BlockBytes)
        {
            w.Dispose();
            throw new ArgumentException($"Q8_0 [{rows}, {cols}] needs {blocks * Q8_0.BlockBytes} bytes of blocks, got {ggufBlocks.Length}", nameof(ggufBlocks));
        }
        byte* q = (byte*)w.Data;
        ushort* s = w.Scales;
        for (long b = 0; b < blocks; b++)
        {
            ReadOnlySpan<byte> block = ggufBlocks.Slice((int)(b * Q8_0.BlockBytes), Q8_0.BlockBytes);
            ushort scale = (ushort)(block[0] | (block[1] << 8));
            if ((scale & 0x7C00) == 0x7C00)
            {
                w.Dispose();
                throw new ArgumentException($"Q8_0 block {b} (row {b / (cols / Q8_0.BlockSize)}) has a non-finite f16 scale 0x{scale:X4}; the weights are corrupt", nameof(ggufBlocks));
            }
            s[b] = scale;
            (Vector256.Create(block.Slice(2)) ^ Vector256.Create((byte)0x80)).Store(q + b * Q8_0.BlockSize);
        }
        return w;
    }

    /// <summary>A new Q8_0 copy, quantized with llama.cpp's reference rounding (d = amax / 127, q = round(x / d)).</summary>
    public WeightMatrix QuantizeQ8_0()
    {
        var w = new WeightMatrix(Rows, Cols, WeightType.Q8_0);
        float[] row = new float[Cols];
        Span<sbyte> q = stackalloc sbyte[Q8_0.BlockSize];
        int blocksPerRow = Cols / Q8_0.BlockSize;
        for (int r = 0; r < Rows; r++)
        {
            ReadRow(r, row);
            for (int b = 0; b < blocksPerRow; b++)
            {
                long block = (long)r * blocksPerRow + b;
                Half d = Q8_0.QuantizeBlock(row.AsSpan(b * Q8_0.BlockSize, Q8_0.BlockSize), q);
                w.Scales[block] = BitConverter.HalfToUInt16Bits(d);
                byte* dst = (byte*)w.Data + block * Q8_0.BlockSize;
                for (int i = 0; i < Q8_0.BlockSize; i++)
                {
                    dst[i] = (byte)(q[i] + 128);
                }
            }
        }
        return w;
    }

    /// <summary>Row <paramref name="row"/> dequantized to floats (embedding lookup, tests).</summary>
    public void ReadRow(int row, Span<float> dst /*[cols]*/)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is outside [0, {Rows})");
        }
        if (dst.Length != Cols)
        {
            throw new ArgumentException($"destination holds {dst.Length} floats, the row has {Cols}", nameof(dst));
        }
        long start = (long)row * Cols;
        switch (Type)
        {
            case WeightType.F32:
                new ReadOnlySpan<float>((float*)Data + start, Cols).CopyTo(dst);
                break;
            case WeightType.BF16:
                ushort* b16 = (ushort*)Data + start;
                for (int i = 0; i < Cols; i++)
                {
                    dst[i] = BitConverter.Int32BitsToSingle(b16[i] << 16);
                }
                break;
            default:
                byte* q = (byte*)Data + start;
                ushort* s = Scales + start / Q8_0.BlockSize;
                for (int i = 0; i < Cols; i++)
                {
                    dst[i] = (float)BitConverter.UInt16BitsToHalf(s[i / Q8_0.BlockSize]) * (sbyte)(q[i] ^ 0x80);
                }
                break;
        }
    }

    /// <summary>Frees the native memory.</summary>
    public void Dispose()
    {
        _data.Dispose();
        _scales?.Dispose();
    }

    private static void CheckLength(int length, int rows, int cols)
    {
        if (length != (long)rows * cols)
        {
            throw new ArgumentException($"source holds {length} values, [{rows}, {cols}] needs {(long)rows * cols}");
        }
    }
}
