namespace LlmSuite.Engine.Models;

/// <summary>
/// The simplest <see cref="IKvCache"/>: per layer one array for K [maxSequences, blocks, kvHeads, headDim, BlockSize]
/// (transposed within a block, see <see cref="IKvCache"/>) and one for V [maxSequences, blocks, kvHeads, BlockSize, headDim];
/// sequence ids are slots [0, maxSequences). Viewed in blocks of <see cref="BlockSize"/> positions so attention code
/// is the same as for a paged cache.
/// </summary>
public sealed class ContiguousKvCache : IKvCache
{
    private readonly float[][] _keys;   // per layer [maxSequences, blocks, kvHeads, headDim, BlockSize]
    private readonly float[][] _values; // per layer [maxSequences, blocks, kvHeads, BlockSize, headDim]
    private readonly int _rowFloats;    // kvHeads * headDim
    private readonly long _sequenceFloats;

    /// <summary>Allocates K/V for <paramref name="maxSequences"/> sequences of up to <paramref name="maxPositions"/> tokens.</summary>
    public ContiguousKvCache(int layers, int maxSequences, int maxPositions, int kvHeads, int headDim, int blockSize = 256)
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
        _rowFloats = kvHeads * headDim;
        _sequenceFloats = (long)MaxPositions * _rowFloats;
        long perLayer = _sequenceFloats * maxSequences;
        if (perLayer > Array.MaxLength)
        {
            throw new ArgumentException($"a contiguous cache layer of {perLayer} floats exceeds the array limit; use fewer sequences or positions");
        }
        _keys = new float[layers][];
        _values = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            _keys[l] = new float[perLayer];
            _values[l] = new float[perLayer];
        }
    }

    /// <inheritdoc />
    public int BlockSize { get; }

    /// <inheritdoc />
    public int KvHeads { get; }

    /// <inheritdoc />
    public int HeadDim { get; }

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
        if (key.Length != _rowFloats || value.Length != _rowFloats)
        {
            throw new ArgumentException($"K/V rows must hold kvHeads * headDim = {_rowFloats} floats (got {key.Length}, {value.Length})");
        }
        int offset = position % BlockSize;
        long blockStart = sequenceId * _sequenceFloats + (long)(position - offset) * _rowFloats;
        for (int kh = 0; kh < KvHeads; kh++)
        {
            value.Slice(kh * HeadDim, HeadDim).CopyTo(_values[layer].AsSpan((int)(blockStart + (kh * BlockSize + offset) * HeadDim), HeadDim));
        }
        Span<float> keys = _keys[layer].AsSpan((int)blockStart, BlockSize * _rowFloats);   // [kvHeads * headDim, BlockSize]
        for (int i = 0; i < key.Length; i++)
        {
            keys[i * BlockSize + offset] = key[i];
        }
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> Keys(int layer, int sequenceId, int block) => Block(_keys, layer, sequenceId, block);

    /// <inheritdoc />
    public ReadOnlySpan<float> Values(int layer, int sequenceId, int block) => Block(_values, layer, sequenceId, block);

    private ReadOnlySpan<float> Block(float[][] store, int layer, int sequenceId, int block)
    {
        Check(layer, sequenceId);
        if ((uint)block >= (uint)(MaxPositions / BlockSize))
        {
            throw new ArgumentOutOfRangeException(nameof(block), $"block {block} is outside [0, {MaxPositions / BlockSize})");
        }
        long at = sequenceId * _sequenceFloats + (long)block * BlockSize * _rowFloats;
        return store[layer].AsSpan((int)at, BlockSize * _rowFloats);
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
