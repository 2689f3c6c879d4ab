namespace LlmSuite.Engine.KvCache;

/// <summary>
/// The physical blocks of one sequence, in position order (block i holds positions [i * BlockSize, (i + 1) * BlockSize)),
/// plus the chained hashes of its full, computed blocks. Owned by a sequence; changed only by <see cref="BlockManager"/>.
/// </summary>
public sealed class BlockTable
{
    internal readonly List<int> BlockList = new();
    internal readonly List<ulong> HashList = new();

    /// <summary>Creates an empty table whose hash chain starts at <paramref name="rootHash"/> (see <see cref="BlockHasher.Root"/>).</summary>
    public BlockTable(ulong rootHash) => RootHash = rootHash;

    /// <summary>Hash preceding the first block (depends on the cache salt).</summary>
    public ulong RootHash { get; }

    /// <summary>Physical block ids in position order.</summary>
    public IReadOnlyList<int> Blocks => BlockList;

    /// <summary>Number of blocks.</summary>
    public int Count => BlockList.Count;

    /// <summary>Hashes of the first <see cref="HashedBlocks"/> blocks (full and computed).</summary>
    public IReadOnlyList<ulong> Hashes => HashList;

    /// <summary>Leading blocks whose hash is known.</summary>
    public int HashedBlocks => HashList.Count;
}
