namespace LlmSuite.Engine.Tensors;

/// <summary>Shape helpers shared by kernels and model code.</summary>
public static class Shape
{
    /// <summary>Number of elements of a row-major tensor with the given dimensions.</summary>
    public static long Elements(ReadOnlySpan<long> dims)
    {
        long n = 1;
        foreach (var d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(dims), $"negative dimension {d}");
            }
            n = checked(n * d);
        }
        return n;
    }
}
