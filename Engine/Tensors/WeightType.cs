namespace LlmSuite.Engine.Tensors;

/// <summary>Element type a <see cref="WeightMatrix"/> is stored in and that kernels compute on directly.</summary>
public enum WeightType
{
    /// <summary>32-bit float.</summary>
    F32,

    /// <summary>bfloat16 (upper 16 bits of a float), widened inside the dot product.</summary>
    BF16,

    /// <summary>GGUF Q8_0: blocks of 32 int8 values sharing one f16 scale.</summary>
    Q8_0,
}
