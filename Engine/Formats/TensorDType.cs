namespace LlmSuite.Engine.Formats;

/// <summary>Element / block encodings of stored tensors that the engine can read.</summary>
public enum TensorDType
{
    /// <summary>IEEE float32.</summary>
    F32,
    /// <summary>IEEE float16.</summary>
    F16,
    /// <summary>bfloat16 (upper half of a float32).</summary>
    BF16,
    /// <summary>ggml Q8_0: blocks of 32 values, f16 scale + 32 int8 (34 bytes).</summary>
    Q8_0,
    /// <summary>ggml Q4_0: blocks of 32 values, f16 scale + 16 bytes of nibbles (18 bytes).</summary>
    Q4_0,
    /// <summary>ggml Q4_K: super-blocks of 256 values, 144 bytes.</summary>
    Q4_K,
    /// <summary>ggml Q6_K: super-blocks of 256 values, 210 bytes.</summary>
    Q6_K,
}

/// <summary>Block geometry of each <see cref="TensorDType"/>.</summary>
public static class TensorDTypeInfo
{
    /// <summary>Values per block (1 for plain float types).</summary>
    public static int BlockSize(TensorDType t) => t switch
    {
        TensorDType.Q8_0 or TensorDType.Q4_0 => 32,
        TensorDType.Q4_K or TensorDType.Q6_K => 256,
        _ => 1,
    };

    /// <summary>Bytes per block.</summary>
    public static int BlockBytes(TensorDType t) => t switch
    {
        TensorDType.F32 => 4,
        TensorDType.F16 or TensorDType.BF16 => 2,
        TensorDType.Q8_0 => 34,
        TensorDType.Q4_0 => 18,
        TensorDType.Q4_K => 144,
        TensorDType.Q6_K => 210,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    /// <summary>Bytes needed for <paramref name="elements"/> values whose count is a multiple of the block size.</summary>
    public static long ByteLength(TensorDType t, long elements) => elements / BlockSize(t) * BlockBytes(t);
}
