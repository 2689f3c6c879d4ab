namespace LlmSuite.Engine.Formats.Gguf;

/// <summary>ggml tensor type ids as stored in GGUF tensor infos (ggml.h enum ggml_type).</summary>
public enum GgmlType : uint
{
    /// <summary>float32.</summary>
    F32 = 0,
    /// <summary>float16.</summary>
    F16 = 1,
    /// <summary>4-bit, 32-value blocks.</summary>
    Q4_0 = 2,
    /// <summary>4-bit with min (not supported).</summary>
    Q4_1 = 3,
    /// <summary>5-bit (not supported).</summary>
    Q5_0 = 6,
    /// <summary>5-bit with min (not supported).</summary>
    Q5_1 = 7,
    /// <summary>8-bit, 32-value blocks.</summary>
    Q8_0 = 8,
    /// <summary>8-bit with sum (not supported).</summary>
    Q8_1 = 9,
    /// <summary>k-quant 2-bit (not supported).</summary>
    Q2_K = 10,
    /// <summary>k-quant 3-bit (not supported).</summary>
    Q3_K = 11,
    /// <summary>k-quant 4-bit, 256-value super-blocks.</summary>
    Q4_K = 12,
    /// <summary>k-quant 5-bit (not supported).</summary>
    Q5_K = 13,
    /// <summary>k-quant 6-bit, 256-value super-blocks.</summary>
    Q6_K = 14,
    /// <summary>k-quant 8-bit (not supported).</summary>
    Q8_K = 15,
    /// <summary>bfloat16.</summary>
    BF16 = 30,
}

/// <summary>Maps ggml types to the engine's <see cref="TensorDType"/>.</summary>
public static class GgmlTypes
{
    /// <summary>The engine dtype for a ggml type id, or null when the engine cannot read it.</summary>
    public static TensorDType? ToDType(uint ggmlType) => (GgmlType)ggmlType switch
    {
        GgmlType.F32 => TensorDType.F32,
        GgmlType.F16 => TensorDType.F16,
        GgmlType.BF16 => TensorDType.BF16,
        GgmlType.Q8_0 => TensorDType.Q8_0,
        GgmlType.Q4_0 => TensorDType.Q4_0,
        GgmlType.Q4_K => TensorDType.Q4_K,
        GgmlType.Q6_K => TensorDType.Q6_K,
        _ => null,
    };

    /// <summary>A readable name for a ggml type id (the enum name or "type N").</summary>
    public static string Name(uint ggmlType) => Enum.IsDefined(typeof(GgmlType), ggmlType) ? ((GgmlType)ggmlType).ToString() : $"ggml type {ggmlType}";
}
