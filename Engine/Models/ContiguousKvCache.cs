using LlmSuite.Engine.KvCache;

namespace LlmSuite.Engine.Models;

/// <summary>
/// The simplest <see cref="IKvCache"/>: per layer one array for K [maxSequences, blocks, kvHeads, headDim, BlockSize]
/// (transposed within a block, see <see cref="IKvCache"/>) and one for V [maxSequences, blocks, kvHeads, BlockSize, headDim];
/// sequence ids are slots [0, maxSequences). Viewed in blocks of <see cref="BlockSize"/> positions so attention code
/// is the same as for a paged cache. Elements are <see cref="DType"/> (f32 or bf16), kept in byte arrays.
/// </summary>
public sealed class ContiguousKvCache : IKvCache
{
    private readonly byte[][] _keys;   // per layer [maxSequences, blocks, kvHeads, headDim, BlockSize] elements of DType
    private readonly byte[][] _values; // per layer [maxSequences, blocks, kvHeads, BlockSize, headDim] elements of DType
    private readonly int _rowElements; // kvHeads * headDim
    private readonly int _elementSize;
    private readonly long _sequenceElements;

    /// <summary>Allocates K/V of <paramref name="dtype"/> elements for <paramref name="maxSequences"/> sequences of up to <paramref name="maxPositions"/> tokens.</summary>
    public ContiguousKvCache(int layers, int maxSequences, int maxPositions, int kvHeads, int headDim, int blockSize = 256, KvCacheDType dtype = KvCacheDType.F32)
    {
        if (layers <= 0 || maxSequences <= 0 || maxPositions <= 0 || kvHeads <= 0 || headDim <= 0 || blockSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(layers), $"cache dimensions must be positive (layers {layers}, sequences {maxSequences}, positions {maxPositions}, kvHeads {kvHeads}, headDim {headDim}, block {blockSize})");
        }
        Layers = layers;
        MaxSequences = maxSequences;
        KvHeads = kvHeads;
        HeadDim = headDim;
        BlockSize = Math.Min(blockSize, maxPositions);
        MaxPositions = (maxPositions + BlockSize - 1) / BlockSize * BlockSize;  // whole blocks
        DType = dtype;
        _elementSize = dtype.ElementSize();
        _rowElements = kvHeads * headDim;
        _sequenceElements = (long)MaxPositions * _rowElements;
        long perLayer = _sequenceElements * maxSequences * _elementSize;
        if (perLayer > Array.MaxLength)
        {
            throw new ArgumentException($"a contiguous cache layer of {perLayer} bytes exceeds the array limit; use fewer sequences or positions");
        }
        _keys = new byte[layers][];
        _values = new byte[layers][];
        for (int l = 0; l < layers; l++)
        {
            _keys[l] = new byte[perLayer];
            _values[l] = new byte[perLayer];
        }
    }

    /// <inheritdoc />
    public int BlockSize { get; }

    /// <inheritdoc />
    public int KvHeads { get; }

    /// <inheritdoc />
    public int HeadDim { get; }

    /// <inheritdoc />
    public KvCacheDType DType { get; }

    /// <summary>Layers.</summary>
    public int Layers { get; }

    /// <summary>Sequence slots.</summary>
    public int MaxSequences { get; }

    /// <summary>Positions per sequence (rounded up to whole blocks).</summary>
    public int MaxPositions { get; }

    /// <inheritdoc />
    public void Write(int layer, int sequenceId, int position, ReadOnlySpan<float> key /*[kvHeads * headDim]*/, ReadOnlySpan<float> value /*[kvHeads * headDim]*/)
    {
        Check(layer, sequenceId);
        if ((uint)position >= (uint)MaxPositions)
        {
            throw new ArgumentOutOfRangeException(nameof(position), $"position {position} is outside the cache's [0, {MaxPositions})");
        }
        if (key.Length != _rowElements || value.Length != _rowElements)
        {
            throw new ArgumentException($"K/V rows must hold kvHeads * headDim = {_rowElements} floats (got {key.Length}, {value.Length})");
        }
        int offset = position % BlockSize, block = position / BlockSize;
        Span<byte> values = BlockSpan(_values, layer, sequenceId, block);   // [kvHeads, BlockSize, headDim]
        for (int kh = 0; kh < KvHeads; kh++)
        {
            KvCacheElements.Store(value.Slice(kh * HeadDim, HeadDim), DType, (kh * BlockSize + offset) * HeadDim, 1, values);
        }
        KvCacheElements.Store(key, DType, offset, BlockSize, BlockSpan(_keys, layer, sequenceId, block));   // [kvHeads * headDim, BlockSize]
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> KeyBytes(int layer, int sequenceId, int block) => Block(_keys, layer, sequenceId, block);

    /// <inheritdoc />
    public ReadOnlySpan<byte> ValueBytes(int layer, int sequenceId, int block) => Block(_values, layer, sequenceId, block);

    private ReadOnlySpan<byte> Block(byte[][] store, int layer, int sequenceId, int block)
    {
        Check(layer, sequenceId);
        if ((uint)block >= (uint)(MaxPositions / BlockSize))
        {
            throw new ArgumentOutOfRangeException(nameof(block), $"block {block} is outside [0, {MaxPositions / BlockSize})");
        }
        return BlockSpan(store, layer, sequenceId, block);
    }

    private Span<byte> BlockSpan(byte[][] store, int layer, int sequenceId, int block)
    {
        long at = (sequenceId * _sequenceElements + (long)block * BlockSize * _rowElements) * _elementSize;
        return store[layer].AsSpan((int)at, BlockSize * _rowElements * _elementSize);
    }

    private void Check(int layer, int sequenceId)
    {
        if ((uint)layer >= (uint)Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} is outside [0, {Layers})");
        }
        if ((uint)sequenceId >= (uint)MaxSequences)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceId), $"sequence {sequenceId} is outside the cache's slots [0, {MaxSequences})");
        }
    }
}
