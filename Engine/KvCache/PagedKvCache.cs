using LlmSuite.Engine.Models;

namespace LlmSuite.Engine.KvCache;

/// <summary>
/// The tensor side of the paged KV cache: per layer one pool of K [NumBlocks, kvHeads, headDim, BlockSize] (transposed
/// within a block, see <see cref="IKvCache"/>) and one of V [NumBlocks, kvHeads, BlockSize, headDim],
/// addressed through block tables. The engine binds each running sequence's <see cref="BlockTable"/> to a slot id (the
/// sequence id the model sees in a <see cref="ForwardBatch"/>); attention then reads the sequence block by block.
/// </summary>
public sealed class PagedKvCache : IKvCache
{
    private readonly float[][] _keys;     // per layer [NumBlocks, kvHeads, headDim, BlockSize]
    private readonly float[][] _values;   // per layer [NumBlocks, kvHeads, BlockSize, headDim]
    private readonly BlockTable?[] _tables; // [MaxSlots]
    private readonly int _rowFloats, _blockFloats;

    /// <summary>Allocates a pool of <paramref name="numBlocks"/> blocks for <paramref name="maxSlots"/> concurrently bound sequences.</summary>
    public PagedKvCache(int layers, int numBlocks, int blockSize, int kvHeads, int headDim, int maxSlots)
    {
        if (layers <= 0 || numBlocks <= 0 || blockSize <= 0 || kvHeads <= 0 || headDim <= 0 || maxSlots <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numBlocks), $"paged cache dimensions must be positive (layers {layers}, blocks {numBlocks}, block size {blockSize}, kvHeads {kvHeads}, headDim {headDim}, slots {maxSlots})");
        }
        _rowFloats = kvHeads * headDim;
        _blockFloats = blockSize * _rowFloats;
        long perLayer = (long)numBlocks * _blockFloats;
        if (perLayer > Array.MaxLength)
        {
            throw new ArgumentException($"{numBlocks} blocks of {_blockFloats} floats exceed the array limit per layer; lower the KV cache memory or the block count");
        }
        Layers = layers;
        NumBlocks = numBlocks;
        BlockSize = blockSize;
        KvHeads = kvHeads;
        HeadDim = headDim;
        _keys = new float[layers][];
        _values = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            _keys[l] = new float[perLayer];
            _values[l] = new float[perLayer];
        }
        _tables = new BlockTable?[maxSlots];
    }

    /// <summary>Bytes one block occupies over all layers (K and V, f32).</summary>
    public static long BytesPerBlock(int layers, int blockSize, int kvHeads, int headDim) => 2L * layers * blockSize * kvHeads * headDim * sizeof(float);

    /// <summary>Blocks that fit in <paramref name="bytes"/>.</summary>
    public static int BlocksForBudget(long bytes, int layers, int blockSize, int kvHeads, int headDim) =>
        (int)Math.Min(int.MaxValue, bytes / BytesPerBlock(layers, blockSize, kvHeads, headDim));

    /// <summary>Memory available to the process now: MemAvailable of /proc/meminfo, else the GC's view.</summary>
    public static long AvailableMemoryBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        return Math.Max(0, info.TotalAvailableMemoryBytes - info.HeapSizeBytes);
    }

    /// <inheritdoc />
    public int BlockSize { get; }

    /// <inheritdoc />
    public int KvHeads { get; }

    /// <inheritdoc />
    public int HeadDim { get; }

    /// <summary>Layers.</summary>
    public int Layers { get; }

    /// <summary>Blocks in the pool.</summary>
    public int NumBlocks { get; }

    /// <summary>Token positions the pool holds.</summary>
    public long Tokens => (long)NumBlocks * BlockSize;

    /// <summary>Bytes of the pool.</summary>
    public long Bytes => NumBlocks * BytesPerBlock(Layers, BlockSize, KvHeads, HeadDim);

    /// <summary>Sequence slots.</summary>
    public int MaxSlots => _tables.Length;

    /// <summary>Makes slot <paramref name="slot"/> read and write through <paramref name="table"/> (kept by reference).</summary>
    public void Bind(int slot, BlockTable table)
    {
        if ((uint)slot >= (uint)_tables.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), $"slot {slot} is outside [0, {_tables.Length})");
        }
        _tables[slot] = table;
    }

    /// <summary>Detaches a slot.</summary>
    public void Unbind(int slot) => _tables[slot] = null;

    /// <summary>Copies every layer's K/V of block <paramref name="source"/> into block <paramref name="destination"/>.</summary>
    public void CopyBlock(int source, int destination)
    {
        for (int l = 0; l < Layers; l++)
        {
            Array.Copy(_keys[l], (long)source * _blockFloats, _keys[l], (long)destination * _blockFloats, _blockFloats);
            Array.Copy(_values[l], (long)source * _blockFloats, _values[l], (long)destination * _blockFloats, _blockFloats);
        }
    }

    /// <inheritdoc />
    public void Write(int layer, int sequenceId, int position, ReadOnlySpan<float> key /*[kvHeads * headDim]*/, ReadOnlySpan<float> value /*[kvHeads * headDim]*/)
    {
        if (key.Length != _rowFloats || value.Length != _rowFloats)
        {
            throw new ArgumentException($"K/V rows must hold kvHeads * headDim = {_rowFloats} floats (got {key.Length}, {value.Length})");
        }
        int physical = Physical(sequenceId, position / BlockSize), offset = position % BlockSize;
        int blockStart = physical * _blockFloats;
        for (int kh = 0; kh < KvHeads; kh++)
        {
            value.Slice(kh * HeadDim, HeadDim).CopyTo(_values[layer].AsSpan(blockStart + (kh * BlockSize + offset) * HeadDim, HeadDim));
        }
        Span<float> keys = _keys[layer].AsSpan(blockStart, _blockFloats);   // [kvHeads * headDim, BlockSize]
        for (int i = 0; i < key.Length; i++)
        {
            keys[i * BlockSize + offset] = key[i];
        }
    }

    /// <inheritdoc />
    public ReadOnlySpan<float> Keys(int layer, int sequenceId, int block) =>
        _keys[layer].AsSpan(Physical(sequenceId, block) * _blockFloats, _blockFloats);

    /// <inheritdoc />
    public ReadOnlySpan<float> Values(int layer, int sequenceId, int block) =>
        _values[layer].AsSpan(Physical(sequenceId, block) * _blockFloats, _blockFloats);

    private int Physical(int slot, int block)
    {
        BlockTable? table = (uint)slot < (uint)_tables.Length ? _tables[slot] : null;
        if (table is null)
        {
            throw new InvalidOperationException($"sequence slot {slot} has no block table bound");
        }
        List<int> blocks = table.BlockList;
        if ((uint)block >= (uint)blocks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(block), $"block {block} of slot {slot} is outside its table of {blocks.Count} blocks");
        }
        return blocks[block];
    }
}
