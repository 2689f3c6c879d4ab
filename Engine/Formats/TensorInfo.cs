namespace LlmSuite.Engine.Formats;

/// <summary>
/// A named tensor inside a checkpoint file. <see cref="Shape"/> is outermost-first (PyTorch order: a linear weight
/// is [out features, in features]) for both safetensors and GGUF (GGUF's innermost-first dims are reversed).
/// </summary>
public sealed record TensorInfo(string Name, TensorDType DType, long[] Shape, long ByteLength)
{
    /// <summary>Number of values.</summary>
    public long Elements
    {
        get
        {
            long n = 1;
            foreach (long d in Shape)
            {
                n *= d;
            }
            return n;
        }
    }

    /// <summary>Shape as "[a, b]" for messages.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
