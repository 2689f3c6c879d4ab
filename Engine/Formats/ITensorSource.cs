namespace LlmSuite.Engine.Formats;

/// <summary>
/// A read-only bag of named tensors backed by memory-mapped files (a safetensors checkpoint, single or sharded, or a
/// GGUF file). Byte spans point straight into the mapping (zero copy) and stay valid until the source is disposed.
/// </summary>
public interface ITensorSource : IDisposable
{
    /// <summary>Where the tensors come from (file or directory), for messages.</summary>
    string Description { get; }

    /// <summary>Names of every tensor whose dtype the engine supports.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>True when the tensor exists (supported dtype or not).</summary>
    bool Contains(string name);

    /// <summary>Describes a tensor. Throws <see cref="KeyNotFoundException"/> naming the tensor when it is absent and
    /// <see cref="NotSupportedException"/> naming tensor and dtype when its dtype cannot be read.</summary>
    TensorInfo GetInfo(string name);

    /// <summary>The tensor's raw bytes inside the mapping ([ByteLength]).</summary>
    ReadOnlySpan<byte> GetBytes(string name);
}
