using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.Protocol
{
    /// <summary>
    /// A read-only wrapper that turns synchronous reads into cancellable ones with an idle deadline, so a parser that
    /// reads synchronously (SseParser.Enumerate) still stops on Ctrl+C and notices a stream that went silent.
    /// </summary>
    internal sealed class IdleTimeoutStream : Stream
    {
        private readonly Stream _inner;
        private readonly TimeSpan _idleTimeout;
        private readonly CancellationToken _cancellationToken;

        public IdleTimeoutStream(Stream inner, TimeSpan idleTimeout, CancellationToken cancellationToken)
        {
            _inner = inner;
            _idleTimeout = idleTimeout;
            _cancellationToken = cancellationToken;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
            idle.CancelAfter(_idleTimeout);
            // .NET Framework's network streams ignore the token: closing the stream is what ends a read there.
            using var unblock = idle.Token.Register(() => _inner.Dispose());
            try
            {
                return await _inner.ReadAsync(buffer, offset, count, idle.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_cancellationToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                       && idle.IsCancellationRequested && (ex is OperationCanceledException || ex is IOException || ex is ObjectDisposedException))
            {
                throw new TimeoutException($"The stream sent nothing for {_idleTimeout.TotalSeconds:0} s.", ex);
            }
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
