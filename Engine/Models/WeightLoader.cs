using System.Runtime.InteropServices;
using LlmSuite.Engine.Formats;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Models;

/// <summary>
/// Turns checkpoint tensors into kernel weights: checks each shape against the config, converts the dtype
/// (F32/F16/BF16/Q8_0 directly; Q4_0/Q4_K/Q6_K, which have no kernel, are dequantized and re-quantized to Q8_0 so
/// a 4-bit GGUF does not balloon to F32), undoes llama.cpp's Q/K row permutation when asked, and quantizes to Q8_0
/// when the options say so.
/// </summary>
internal sealed class WeightLoader
{
    private readonly ITensorSource _source;
    private readonly ModelLoadOptions _options;
    private readonly List<WeightMatrix> _created = new();

    public WeightLoader(ITensorSource source, ModelLoadOptions options)
    {
        _source = source;
        _options = options;
        if (options.Quantize is not null && options.Quantize != "q8_0")
        {
            throw new NotSupportedException($"quantize '{options.Quantize}' is not supported (supported: q8_0)");
        }
    }

    public bool Contains(string name) => _source.Contains(name);

    /// <summary>A 1-D F32 vector of exactly <paramref name="length"/> values (norm weights, biases).</summary>
    public float[] Vector(string name, int length, int permuteHeads = 0)
    {
        TensorInfo info = _source.GetInfo(name);
        if (info.Shape.Length != 1 || info.Shape[0] != length)
        {
            throw new InvalidDataException($"{_source.Description}: tensor '{name}' has shape {info.ShapeText}, expected [{length}]");
        }
        float[] v = new float[length];
        Dequantize.ToF32(info.DType, _source.GetBytes(name), v);
        if (permuteHeads > 0)
        {
            byte[] bytes = MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
            UnpermuteRows(bytes, length, permuteHeads).AsSpan().CopyTo(MemoryMarshal.AsBytes(v.AsSpan()));
        }
        return v;
    }

    /// <summary>An optional vector: empty when the tensor is absent.</summary>
    public float[] OptionalVector(string name, int length, int permuteHeads = 0) =>
        _source.Contains(name) ? Vector(name, length, permuteHeads) : Array.Empty<float>();

    /// <summary>A [rows, cols] matrix. <paramref name="permuteHeads"/> &gt; 0 undoes llama.cpp's Q/K permutation for that many heads.</summary>
    public WeightMatrix Matrix(string name, int rows, int cols, int permuteHeads = 0, bool quantizable = true)
    {
        TensorInfo info = _source.GetInfo(name);
        if (info.Shape.Length != 2 || info.Shape[0] != rows || info.Shape[1] != cols)
        {
            throw new InvalidDataException($"{_source.Description}: tensor '{name}' has shape {info.ShapeText}, expected [{rows}, {cols}]");
        }
        ReadOnlySpan<byte> bytes = _source.GetBytes(name);
        byte[]? permuted = permuteHeads > 0 ? UnpermuteRows(bytes, rows, permuteHeads) : null;
        if (permuted is not null)
        {
            bytes = permuted;
        }
        WeightMatrix w = info.DType switch
        {
            TensorDType.F32 => WeightMatrix.FromF32(MemoryMarshal.Cast<byte, float>(bytes), rows, cols),
            TensorDType.F16 => WeightMatrix.FromF16(MemoryMarshal.Cast<byte, Half>(bytes), rows, cols),
            TensorDType.BF16 => WeightMatrix.FromBF16(MemoryMarshal.Cast<byte, ushort>(bytes), rows, cols, _options.KeepBF16),
            TensorDType.Q8_0 => WeightMatrix.FromQ8_0(bytes, rows, cols),
            _ => FromDequantized(info, bytes, rows, cols),
        };
        bool noKernel = info.DType is TensorDType.Q4_0 or TensorDType.Q4_K or TensorDType.Q6_K;
        if ((noKernel || (quantizable && _options.Quantize == "q8_0")) && w.Type != WeightType.Q8_0 && cols % Q8_0.BlockSize == 0)
        {
            WeightMatrix q;
            try
            {
                q = w.QuantizeQ8_0();
            }
            finally
            {
                w.Dispose();
            }
            w = q;
        }
        _created.Add(w);
        return w;
    }

    /// <summary>Frees every matrix this loader created (cleanup after a failed load).</summary>
    public void DisposeCreated()
    {
        foreach (WeightMatrix m in _created)
        {
            m.Dispose();
        }
        _created.Clear();
    }

    private static WeightMatrix FromDequantized(TensorInfo info, ReadOnlySpan<byte> bytes, int rows, int cols)
    {
        float[] values = new float[(long)rows * cols];
        Dequantize.ToF32(info.DType, bytes, values);
        return WeightMatrix.FromF32(values, rows, cols);
    }

    /// <summary>
    /// llama.cpp's converter stores Q/K rows of head h as (h, i, j) → row h*e + 2i + j holding HF row h*e + j*e/2 + i
    /// (interleaved RoPE pairs). Rebuilds HF's rotate_half order. Works on raw rows, so quantized blocks move intact.
    /// </summary>
    internal static byte[] UnpermuteRows(ReadOnlySpan<byte> src, int rows, int heads)
    {
        if (rows % heads != 0 || (rows / heads) % 2 != 0 || src.Length % rows != 0)
        {
            throw new InvalidDataException($"cannot undo the Q/K permutation: {rows} rows do not split into {heads} heads of even width");
        }
        int rowBytes = src.Length / rows;
        int e = rows / heads, half = e / 2;
        byte[] dst = new byte[src.Length];
        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < half; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    int from = h * e + 2 * i + j;
                    int to = h * e + j * half + i;
                    src.Slice(from * rowBytes, rowBytes).CopyTo(dst.AsSpan(to * rowBytes, rowBytes));
                }
            }
        }
        return dst;
    }
}
