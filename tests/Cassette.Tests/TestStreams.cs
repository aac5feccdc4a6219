namespace Cassette.Tests;

/// <summary>A body that sends nothing until it is cancelled, like a host that stalled.</summary>
internal sealed class SilentStream : AsyncReadStream
{
    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }
}

internal sealed class ConcatenatedStream(Stream first, Stream second) : AsyncReadStream
{
    private bool _firstDone;

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (!_firstDone)
        {
            int read = await first.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
            if (read > 0) return read;
            _firstDone = true;
        }
        return await second.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
    }
}

/// <summary>A read-only stream that is read only asynchronously, as HttpClient reads a response body.</summary>
internal abstract class AsyncReadStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
