using LlmSuite.Engine.KvCache;

namespace LlmSuite.Engine.Models;

/// <summary>
/// Key/value storage the transformer writes to and attention reads from. A sequence's positions are grouped in
/// blocks of <see cref="BlockSize"/>: attention walks a sequence's K/V block by block for positions [0, pos], so a
/// paged implementation (block tables over a shared pool) fits behind the same interface as a contiguous one.
/// Layout of one block, head-major so one kv head's slice is contiguous: keys [kvHeads, headDim, BlockSize]
/// (transposed: one position-contiguous row per head dimension, so attention scores a query against a block with
/// broadcast FMAs), values [kvHeads, BlockSize, headDim]. Elements are <see cref="DType"/> (f32, or bf16 rounded to
/// nearest even on <see cref="Write"/>); blocks are exposed as raw bytes of that type.
/// </summary>
public interface IKvCache
{
    /// <summary>Positions per block.</summary>
    int BlockSize { get; }

    /// <summary>Key/value heads per position.</summary>
    int KvHeads { get; }

    /// <summary>Width of one head.</summary>
    int HeadDim { get; }

    /// <summary>Element type of every stored key and value.</summary>
    KvCacheDType DType { get; }

    /// <summary>Stores K and V of one token of <paramref name="sequenceId"/> at <paramref name="position"/> in <paramref name="layer"/> (rounded to <see cref="DType"/>).</summary>
    void Write(int layer, int sequenceId, int position, ReadOnlySpan<float> key /*[kvHeads * headDim]*/, ReadOnlySpan<float> value /*[kvHeads * headDim]*/);

    /// <summary>Keys of block <paramref name="block"/> (positions [block * BlockSize, (block + 1) * BlockSize)) of a sequence, as bytes of <see cref="DType"/> elements.</summary>
    ReadOnlySpan<byte> KeyBytes(int layer, int sequenceId, int block); // [kvHeads, headDim, BlockSize] elements

    /// <summary>Values of block <paramref name="block"/> of a sequence, as bytes of <see cref="DType"/> elements.</summary>
    ReadOnlySpan<byte> ValueBytes(int layer, int sequenceId, int block); // [kvHeads, BlockSize, headDim] elements
}
