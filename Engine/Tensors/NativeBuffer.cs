using System.Runtime.InteropServices;

namespace LlmSuite.Engine.Tensors;

/// <summary>64-byte aligned native memory that the GC never moves (weights, scratch). Freed on Dispose.</summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    /// <summary>Alignment of every buffer, one cache line / one Vector512.</summary>
    public const int Alignment = 64;

    private void* _pointer;

    public NativeBuffer(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        _pointer = NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), Alignment);
        Bytes = bytes;
        if (bytes > 0)
        {
            GC.AddMemoryPressure(bytes);
        }
    }

    ~NativeBuffer() => Free();

    /// <summary>Size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Start of the buffer; valid until Dispose.</summary>
    public void* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(NativeBuffer));

    /// <summary>A span over <paramref name="length"/> elements of T starting at element <paramref name="start"/>.</summary>
    public Span<T> AsSpan<T>(long start, int length) where T : unmanaged
    {
        if (start < 0 || length < 0 || (start + length) * sizeof(T) > Bytes)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"[{start}, {start + length}) of {typeof(T).Name} is outside a buffer of {Bytes} bytes");
        }
        return new Span<T>((T*)Pointer + start, length);
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_pointer != null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
            if (Bytes > 0)
            {
                GC.RemoveMemoryPressure(Bytes);
            }
        }
    }
}
