using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LlmSuite.Engine.KvCache;

/// <summary>
/// Chained block hashes for prefix caching, published so that a gateway can compute exactly the same values and route
/// a conversation to the replica that holds its prefix. Definition (all integers little-endian):
/// <code>
/// root(salt)              = first 8 bytes of SHA-256( UTF-8("llmsuite-kv/v1:" + Seed + ":" + (salt ?? "")) )
/// hash(parent, tokens)    = first 8 bytes of SHA-256( parent as u64 || BlockSize as i32 || each token id as i32 )
/// block i of a prompt     = hash(block i-1 (root for i = 0), tokens[i * BlockSize .. (i + 1) * BlockSize))
/// </code>
/// Only full blocks are hashed. A per-tenant salt (vLLM's cache_salt) separates tenants' caches.
/// </summary>
public sealed class BlockHasher
{
    /// <summary>Creates a hasher for blocks of <paramref name="blockSize"/> tokens and a deployment seed.</summary>
    public BlockHasher(int blockSize = 16, string seed = "")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        BlockSize = blockSize;
        Seed = seed ?? string.Empty;
    }

    /// <summary>Tokens per block.</summary>
    public int BlockSize { get; }

    /// <summary>Deployment seed mixed into every root hash.</summary>
    public string Seed { get; }

    /// <summary>The hash that precedes the first block of a prompt with this salt.</summary>
    public ulong Root(string? salt)
    {
        byte[] text = Encoding.UTF8.GetBytes("llmsuite-kv/v1:" + Seed + ":" + (salt ?? string.Empty));
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(text, digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    /// <summary>Hash of one full block given its parent's hash.</summary>
    public ulong Hash(ulong parent, ReadOnlySpan<int> tokens /*[BlockSize]*/)
    {
        if (tokens.Length != BlockSize)
        {
            throw new ArgumentException($"a block hash needs exactly {BlockSize} tokens, got {tokens.Length}", nameof(tokens));
        }
        Span<byte> input = stackalloc byte[12 + 4 * BlockSize];
        BinaryPrimitives.WriteUInt64LittleEndian(input, parent);
        BinaryPrimitives.WriteInt32LittleEndian(input.Slice(8), BlockSize);
        for (int i = 0; i < tokens.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(input.Slice(12 + 4 * i), tokens[i]);
        }
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    /// <summary>Hashes of every full block of <paramref name="tokens"/> (a partial last block is not hashed).</summary>
    public ulong[] HashPrefix(ReadOnlySpan<int> tokens, string? salt)
    {
        var hashes = new ulong[tokens.Length / BlockSize];
        ulong parent = Root(salt);
        for (int i = 0; i < hashes.Length; i++)
        {
            parent = hashes[i] = Hash(parent, tokens.Slice(i * BlockSize, BlockSize));
        }
        return hashes;
    }
}
