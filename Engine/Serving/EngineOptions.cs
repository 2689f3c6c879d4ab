namespace LlmSuite.Engine.Serving;

/// <summary>How an <see cref="LlmEngine"/> sizes its KV cache and batches.</summary>
public sealed record EngineOptions
{
    /// <summary>Name reported in metrics (model_name tag).</summary>
    public string ModelName { get; init; } = "default";

    /// <summary>Tokens per KV block.</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>KV cache memory in bytes (--kv-cache-memory); null uses <see cref="KvCacheMemoryFraction"/>.</summary>
    public long? KvCacheMemoryBytes { get; init; }

    /// <summary>
    /// Element type of the KV cache (--kv-cache-dtype): "auto" (the model's weight dtype: f32 for F32 checkpoints, bf16
    /// otherwise), "float32"/"f32" or "bfloat16"/"bf16". bf16 halves the bytes per block, so the same memory budget holds
    /// twice the tokens and attention reads half the bytes.
    /// </summary>
    public string KvCacheDType { get; init; } = "auto";

    /// <summary>Fraction of available RAM given to the KV cache when no byte budget or block count is set.</summary>
    public double KvCacheMemoryFraction { get; init; } = 0.25;

    /// <summary>Exact number of blocks (tests, benchmarks); overrides the memory budget.</summary>
    public int? NumBlocks { get; init; }

    /// <summary>Most tokens per step (max-num-batched-tokens); null = the model's MaxBatchTokens.</summary>
    public int? MaxNumBatchedTokens { get; init; }

    /// <summary>Most sequences running at once (max-num-seqs).</summary>
    public int MaxNumSeqs { get; init; } = 64;

    /// <summary>Split long prompts over steps so decodes keep streaming.</summary>
    public bool EnableChunkedPrefill { get; init; } = true;

    /// <summary>Reuse the KV of shared prompt prefixes.</summary>
    public bool EnablePrefixCaching { get; init; } = true;

    /// <summary>Seed of the block hash (published to the gateway together with the block size).</summary>
    public string HashSeed { get; init; } = "";

    /// <summary>Clock for latency metrics.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
