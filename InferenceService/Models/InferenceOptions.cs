namespace LlmSuite.InferenceService.Models;

/// <summary>
/// The service's configuration, section <c>Inference</c> (environment <c>Inference__Model</c>, command line
/// <c>--model</c>, <c>--models-dir</c>, ...).
/// </summary>
public sealed class InferenceOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Inference";

    /// <summary>The default model (directory or .gguf); null = the bundled models/default when present.</summary>
    public string? Model { get; set; }

    /// <summary>A directory whose HF model directories, .gguf files and Ollama store (manifests/ + blobs/) are served.</summary>
    public string? ModelsDir { get; set; }

    /// <summary>How long an idle model stays loaded (Ollama's keep_alive default: 5 minutes). The default model stays.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RAM for weights + KV caches of loaded models; least recently used idle models unload beyond it (0 = no limit).</summary>
    public long RamBudgetBytes { get; set; }

    /// <summary>KV cache bytes per loaded model.</summary>
    public long KvCacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// KV cache element type (vLLM's --kv-cache-dtype): "auto" (f32 for F32 checkpoints, bf16 for BF16/F16/quantized
    /// ones), "float32"/"f32" or "bfloat16"/"bf16"; bf16 holds twice the tokens in <see cref="KvCacheBytes"/>.
    /// </summary>
    public string KvCacheDType { get; set; } = "auto";

    /// <summary>Exact KV blocks per model (tests); overrides <see cref="KvCacheBytes"/>.</summary>
    public int? KvCacheBlocks { get; set; }

    /// <summary>Sequences running at once per model (max-num-seqs).</summary>
    public int MaxNumSeqs { get; set; } = 16;

    /// <summary>Requests allowed to wait beyond the running ones, per model; more get 429 with Retry-After.</summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>Largest request body in bytes (413 beyond).</summary>
    public long MaxRequestBodyBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Quantize linear weights at load ("q8_0"), or null.</summary>
    public string? Quantize { get; set; }

    /// <summary>Most tokens per engine step (prefill chunk size).</summary>
    public int MaxBatchTokens { get; set; } = 512;
}
