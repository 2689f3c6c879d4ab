using LlmSuite.Engine.Formats;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.KvCache;

/// <summary>Element type of the K/V cache (vLLM's --kv-cache-dtype, llama.cpp's -ctk/-ctv).</summary>
public enum KvCacheDType
{
    /// <summary>IEEE float32: 4 bytes per element, exact.</summary>
    F32,

    /// <summary>bfloat16: 2 bytes per element (rounded to nearest even on store, widened exactly on load).</summary>
    BF16,
}

/// <summary>Parsing of the KV cache dtype option and resolution of <c>auto</c> from a model.</summary>
public static class KvCacheDTypes
{
    /// <summary>The values <see cref="Resolve"/> accepts (case-insensitive).</summary>
    public const string Accepted = "auto, float32 (f32), bfloat16 (bf16)";

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this KvCacheDType dtype) => dtype switch
    {
        KvCacheDType.F32 => sizeof(float),
        KvCacheDType.BF16 => sizeof(ushort),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown KV cache dtype"),
    };

    /// <summary>Lower-case name as the option spells it (float32 / bfloat16).</summary>
    public static string Name(this KvCacheDType dtype) => dtype == KvCacheDType.BF16 ? "bfloat16" : "float32";

    /// <summary>
    /// The dtype for option <paramref name="value"/> (null or empty = auto): auto follows the model's weights, f32 when
    /// the checkpoint stores the layer weights in F32 and they run in F32, bf16 for anything lower (BF16, F16, Q8_0,
    /// GGUF k-quants, or F32 quantized at load), as vLLM's auto follows the model dtype. Unknown values throw an
    /// <see cref="ArgumentException"/> naming <paramref name="optionName"/> and the accepted values.
    /// </summary>
    public static KvCacheDType Resolve(string? value, TransformerModel model, string optionName = "KvCacheDType")
    {
        ArgumentNullException.ThrowIfNull(model);
        return Parse(value, optionName) ?? ForWeights(model.CheckpointDType, model.Weights.Layers[0].Wq.Type);
    }

    /// <summary>The explicit dtype <paramref name="value"/> names, or null for auto (null or empty counts as auto).</summary>
    public static KvCacheDType? Parse(string? value, string optionName = "KvCacheDType")
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto": return null;
            case "float32" or "f32" or "fp32" or "float": return KvCacheDType.F32;
            case "bfloat16" or "bf16": return KvCacheDType.BF16;
            default: throw new ArgumentException($"{optionName} '{value}' is not a KV cache dtype; accepted values: {Accepted}", optionName);
        }
    }

    /// <summary>auto: f32 only for F32 checkpoints that run with F32 weights, bf16 otherwise.</summary>
    public static KvCacheDType ForWeights(TensorDType checkpoint, WeightType loaded) =>
        checkpoint == TensorDType.F32 && loaded == WeightType.F32 ? KvCacheDType.F32 : KvCacheDType.BF16;
}
