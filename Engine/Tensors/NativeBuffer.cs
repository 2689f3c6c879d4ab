using System.Runtime.InteropServices;

namespace LlmSuite.Engine.Tensors;

/// <summary>
/// 64-byte aligned native memory that the GC never moves (weights, scratch). Freed on Dispose.
/// Buffers of <see cref="HugePageMinBytes"/> or more are 2 MiB aligned and advised as transparent huge pages on
/// Linux (THP "madvise" mode is the common default): streaming gigabytes of weights through 4 KiB pages costs a TLB
/// miss per page per row of a GEMM tile, which starves the prefetchers.
/// </summary>
internal sealed unsafe partial class NativeBuffer : IDisposable
{
    /// <summary>Alignment of every buffer, one cache line / one Vector512.</summary>
    public const int Alignment = 64;

    /// <summary>Size from which a buffer is huge-page aligned and advised.</summary>
    public const long HugePageMinBytes = 4L << 20;

    private const int HugePageBytes = 2 << 20;
    private const int MadvHugePage = 14; // MADV_HUGEPAGE (linux/mman.h)

    private void* _pointer;

    public NativeBuffer(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        bool huge = bytes >= HugePageMinBytes && OperatingSystem.IsLinux();
        long size = huge ? (bytes + HugePageBytes - 1) / HugePageBytes * HugePageBytes : Math.Max(bytes, 1);
        _pointer = NativeMemory.AlignedAlloc((nuint)size, (nuint)(huge ? HugePageBytes : Alignment));
        if (huge)
        {
            _ = Madvise(_pointer, (nuint)size, MadvHugePage); // best effort: without THP the buffer works the same
        }
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

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);

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
