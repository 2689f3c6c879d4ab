using System.Runtime.InteropServices;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.KvCache;

/// <summary>Element-level helpers shared by the caches: store a float row in a dtype, widen a block back.</summary>
public static class KvCacheElements
{
    /// <summary>Keys of a block widened to f32 into <paramref name="destination"/> (tests and references; not the attention path).</summary>
    public static void ReadKeys(this IKvCache cache, int layer, int sequenceId, int block, Span<float> destination /*[kvHeads * headDim * BlockSize]*/) =>
        Widen(cache.KeyBytes(layer, sequenceId, block), cache.DType, destination);

    /// <summary>Values of a block widened to f32 into <paramref name="destination"/>.</summary>
    public static void ReadValues(this IKvCache cache, int layer, int sequenceId, int block, Span<float> destination /*[kvHeads * BlockSize * headDim]*/) =>
        Widen(cache.ValueBytes(layer, sequenceId, block), cache.DType, destination);

    /// <summary>Stores <paramref name="source"/>[i] at element index <paramref name="start"/> + i * <paramref name="stride"/>.</summary>
    internal static void Store(ReadOnlySpan<float> source /*[n]*/, KvCacheDType dtype, int start, int stride, Span<byte> destination /*[elements * size]*/)
    {
        if (dtype == KvCacheDType.BF16)
        {
            Span<ushort> d = MemoryMarshal.Cast<byte, ushort>(destination);
            if (stride == 1)
            {
                BFloat16.Narrow(source, d.Slice(start, source.Length));
                return;
            }
            for (int i = 0; i < source.Length; i++)
            {
                d[start + i * stride] = BFloat16.FromSingle(source[i]);
            }
        }
        else
        {
            Span<float> d = MemoryMarshal.Cast<byte, float>(destination);
            if (stride == 1)
            {
                source.CopyTo(d.Slice(start, source.Length));
                return;
            }
            for (int i = 0; i < source.Length; i++)
            {
                d[start + i * stride] = source[i];
            }
        }
    }

    /// <summary>Every element of <paramref name="source"/> widened to f32.</summary>
    internal static void Widen(ReadOnlySpan<byte> source /*[elements * size]*/, KvCacheDType dtype, Span<float> destination /*[elements]*/)
    {
        if (dtype == KvCacheDType.BF16)
        {
            BFloat16.Widen(MemoryMarshal.Cast<byte, ushort>(source), destination);
        }
        else
        {
            MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
        }
    }
}
