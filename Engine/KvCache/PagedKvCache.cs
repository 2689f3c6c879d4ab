using LlmSuite.Engine.Models;

namespace LlmSuite.Engine.KvCache;

/// <summary>
/// The tensor side of the paged KV cache: per layer one pool of K [NumBlocks, kvHeads, headDim, BlockSize] (transposed
/// within a block, see <see cref="IKvCache"/>) and one of V [NumBlocks, kvHeads, BlockSize, headDim],
/// addressed through block tables. The engine binds each running sequence's <see cref="BlockTable"/> to a slot id (the
/// sequence id the model sees in a <see cref="ForwardBatch"/>); attention then reads the sequence block by block.
/// Elements are <see cref="DType"/> (f32 or bf16), kept in byte pools so both types share one layout and CopyBlock.
/// </summary>
public sealed class PagedKvCache : IKvCache
{
    private readonly byte[][] _keys;     // per layer [NumBlocks, kvHeads, headDim, BlockSize] elements of DType
    private readonly byte[][] _values;   // per layer [NumBlocks, kvHeads, BlockSize, headDim] elements of DType
    private readonly BlockTable?[] _tables; // [MaxSlots]
    private readonly int _rowElements, _blockElements, _blockBytes;

    /// <summary>Allocates a pool of <paramref name="numBlocks"/> blocks of <paramref name="dtype"/> elements for <paramref name="maxSlots"/> concurrently bound sequences.</summary>
    public PagedKvCache(int layers, int numBlocks, int blockSize, int kvHeads, int headDim, int maxSlots, KvCacheDType dtype = KvCacheDType.F32)
    {
        if (layers <= 0 || numBlocks <= 0 || blockSize <= 0 || kvHeads <= 0 || headDim <= 0 || maxSlots <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numBlocks), $"paged cache dimensions must be positive (layers {layers}, blocks {numBlocks}, block size {blockSize}, kvHeads {kvHeads}, headDim {headDim}, slots {maxSlots})");
        }
        int size = dtype.ElementSize();
        _rowElements = kvHeads * headDim;
        _blockElements = blockSize * _rowElements;
        _blockBytes = _blockElements * size;
        long perLayer = (long)numBlocks * _blockBytes;
        if (perLayer > Array.MaxLength)
        {
            throw new ArgumentException($"{numBlocks} blocks of {_blockBytes} bytes exceed the array limit per layer; lower the KV cache memory or the block count");
        }
        DType = dtype;
        Layers = layers;
        NumBlocks = numBlocks;
        BlockSize = blockSize;
        KvHeads = kvHeads;
        HeadDim = headDim;
        _keys = new byte[layers][];
        _values = new byte[layers][];
        for (int l = 0; l < layers; l++)
        {
            _keys[l] = new byte[perLayer];
            _values[l] = new byte[perLayer];
        }
        _tables = new BlockTable?[maxSlots];
    }

    /// <summary>Bytes one block occupies over all layers (K and V, elements of <paramref name="dtype"/>).</summary>
    public static long BytesPerBlock(int layers, int blockSize, int kvHeads, int headDim, KvCacheDType dtype) =>
        2L * layers * blockSize * kvHeads * headDim * dtype.ElementSize();

    /// <summary>Blocks of <paramref name="dtype"/> elements that fit in <paramref name="bytes"/>.</summary>
    public static int BlocksForBudget(long bytes, int layers, int blockSize, int kvHeads, int headDim, KvCacheDType dtype) =>
        (int)Math.Min(int.MaxValue, bytes / BytesPerBlock(layers, blockSize, kvHeads, headDim, dtype));

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

    /// <inheritdoc />
    public KvCacheDType DType { get; }

    /// <summary>Layers.</summary>
    public int Layers { get; }

    /// <summary>Blocks in the pool.</summary>
    public int NumBlocks { get; }

    /// <summary>Token positions the pool holds.</summary>
    public long Tokens => (long)NumBlocks * BlockSize;

    /// <summary>Bytes of the pool.</summary>
    public long Bytes => NumBlocks * BytesPerBlock(Layers, BlockSize, KvHeads, HeadDim, DType);

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

    /// <summary>Copies every layer's K/V of block <paramref name="source"/> into block <paramref name="destination"/> (all bytes of the block in its dtype).</summary>
    public void CopyBlock(int source, int destination)
    {
        if ((uint)source >= (uint)NumBlocks || (uint)destination >= (uint)NumBlocks)
        {
            throw new ArgumentOutOfRangeException(nameof(source), $"blocks {source} -> {destination} must be inside the pool [0, {NumBlocks})");
        }
        for (int l = 0; l < Layers; l++)
        {
            Array.Copy(_keys[l], (long)source * _blockBytes, _keys[l], (long)destination * _blockBytes, _blockBytes);
            Array.Copy(_values[l], (long)source * _blockBytes, _values[l], (long)destination * _blockBytes, _blockBytes);
        }
    }

    /// <inheritdoc />
    public void Write(int layer, int sequenceId, int position, ReadOnlySpan<float> key /*[kvHeads * headDim]*/, ReadOnlySpan<float> value /*[kvHeads * headDim]*/)
    {
        if (key.Length != _rowElements || value.Length != _rowElements)
        {
            throw new ArgumentException($"K/V rows must hold kvHeads * headDim = {_rowElements} floats (got {key.Length}, {value.Length})");
        }
        int physical = Physical(sequenceId, position / BlockSize), offset = position % BlockSize;
        Span<byte> values = _values[layer].AsSpan(physical * _blockBytes, _blockBytes);   // [kvHeads, BlockSize, headDim]
        for (int kh = 0; kh < KvHeads; kh++)
        {
            KvCacheElements.Store(value.Slice(kh * HeadDim, HeadDim), DType, (kh * BlockSize + offset) * HeadDim, 1, values);
        }
        Span<byte> keys = _keys[layer].AsSpan(physical * _blockBytes, _blockBytes);   // [kvHeads * headDim, BlockSize]
        KvCacheElements.Store(key, DType, offset, BlockSize, keys);
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> KeyBytes(int layer, int sequenceId, int block) =>
        _keys[layer].AsSpan(Physical(sequenceId, block) * _blockBytes, _blockBytes);

    /// <inheritdoc />
    public ReadOnlySpan<byte> ValueBytes(int layer, int sequenceId, int block) =>
        _values[layer].AsSpan(Physical(sequenceId, block) * _blockBytes, _blockBytes);

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
