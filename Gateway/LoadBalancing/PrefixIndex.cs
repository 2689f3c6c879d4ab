namespace LlmSuite.Gateway.LoadBalancing;

/// <summary>
/// An approximate, per-replica record of which prompt blocks each replica has seen (and so likely holds in its prefix
/// cache), with least-recently-used eviction. Thread-safe.
/// </summary>
public sealed class PrefixIndex(TimeProvider time, int maxBlocksPerReplica)
{
    private readonly Dictionary<string, Dictionary<ulong, long>> _replicas = [];
    private readonly Lock _lock = new();

    /// <summary>Number of leading blocks of <paramref name="blocks"/> recorded for <paramref name="replica"/>.</summary>
    public int MatchedBlocks(string replica, ReadOnlySpan<ulong> blocks)
    {
        lock (_lock)
        {
            if (!_replicas.TryGetValue(replica, out var seen))
            {
                return 0;
            }
            // Hashes are chained, so the matched prefix is the last present block: search from the end.
            for (var i = blocks.Length - 1; i >= 0; i--)
            {
                if (seen.ContainsKey(blocks[i]))
                {
                    return i + 1;
                }
            }
            return 0;
        }
    }

    /// <summary>Number of blocks recorded for <paramref name="replica"/>.</summary>
    public int Size(string replica)
    {
        lock (_lock)
        {
            return _replicas.TryGetValue(replica, out var seen) ? seen.Count : 0;
        }
    }

    /// <summary>Records that <paramref name="replica"/> now holds <paramref name="blocks"/>.</summary>
    public void Insert(string replica, ReadOnlySpan<ulong> blocks)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_replicas.TryGetValue(replica, out var seen))
            {
                _replicas[replica] = seen = [];
            }
            foreach (var block in blocks)
            {
                seen[block] = now;
            }
            if (seen.Count > maxBlocksPerReplica)
            {
                Evict(seen, seen.Count - maxBlocksPerReplica * 9 / 10);
            }
        }
    }

    private static void Evict(Dictionary<ulong, long> seen, int count)
    {
        foreach (var (block, _) in seen.OrderBy(p => p.Value).Take(count).ToArray())
        {
            seen.Remove(block);
        }
    }
}
