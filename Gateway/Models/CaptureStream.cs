namespace LlmSuite.Gateway.Models;

/// <summary>
/// A response body that passes every write (and flush) straight through and keeps a copy of the first
/// <c>limit</c> bytes, so the gateway can cache the answer and read its token usage without delaying the stream.
/// </summary>
public sealed class CaptureStream(Stream inner, int limit) : Stream
{
    private readonly MemoryStream _copy = new();

    /// <summary>True when the body exceeded the limit (the copy is incomplete).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The captured bytes.</summary>
    public ReadOnlyMemory<byte> Captured => _copy.GetBuffer().AsMemory(0, (int)_copy.Length);

    private void Keep(ReadOnlySpan<byte> buffer)
    {
        if (Overflowed)
        {
            return;
        }
        if (_copy.Length + buffer.Length > limit)
        {
            Overflowed = true;
            return;
        }
        _copy.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Keep(buffer.AsSpan(offset, count));
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Keep(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
