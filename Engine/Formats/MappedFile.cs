using System.IO.MemoryMappedFiles;

namespace LlmSuite.Engine.Formats;

/// <summary>A whole file mapped read-only; spans over it are zero-copy views valid until disposal.</summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _pointer;

    private MappedFile(string path, long length, MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        Path = path;
        Length = length;
        _file = file;
        _view = view;
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _pointer = p + view.PointerOffset;
    }

    /// <summary>The mapped file's path.</summary>
    public string Path { get; }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>Maps <paramref name="path"/>; throws <see cref="FileNotFoundException"/> or
    /// <see cref="InvalidDataException"/> for an empty file.</summary>
    public static MappedFile Open(string path)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new NotSupportedException("model files are little-endian; big-endian hosts are not supported");
        }
        var info = new FileInfo(path);
        if (info.LinkTarget != null)
        {
            // a Hugging Face cache snapshot links every file to a blob: map (and measure) the file, not the link
            info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        }
        if (!info.Exists)
        {
            throw new FileNotFoundException($"model file not found: {path}", path);
        }
        if (info.Length == 0)
        {
            throw new InvalidDataException($"{path}: the file is empty");
        }
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = file.CreateViewAccessor(0, info.Length, MemoryMappedFileAccess.Read);
            return new MappedFile(path, info.Length, file, view);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Bytes [offset, offset + length) of the file; throws <see cref="InvalidDataException"/> past the end.</summary>
    public ReadOnlySpan<byte> Span(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_pointer == null, this);
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new InvalidDataException($"{Path}: bytes [{offset}, {offset + length}) lie outside the file ({Length} bytes); the file is truncated or corrupt");
        }
        if (length > int.MaxValue)
        {
            throw new NotSupportedException($"{Path}: a single tensor of {length} bytes exceeds the 2 GiB span limit");
        }
        return new ReadOnlySpan<byte>(_pointer + offset, (int)length);
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        if (_pointer != null)
        {
            _pointer = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
        _view.Dispose();
        _file.Dispose();
    }
}
