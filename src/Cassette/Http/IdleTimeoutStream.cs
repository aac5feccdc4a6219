using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.Http
{
    /// <summary>
    /// A read-only wrapper that turns synchronous reads into cancellable ones with an idle deadline, so a parser that
    /// reads synchronously (SseParser.Enumerate) still stops on Ctrl+C and notices a stream that went silent.
    /// </summary>
    internal sealed class IdleTimeoutStream : ReadOnlyWrapperStream
    {
        private readonly TimeSpan _idleTimeout;
        private readonly CancellationToken _cancellationToken;
        private volatile bool _expired;

        public IdleTimeoutStream(Stream inner, TimeSpan idleTimeout, CancellationToken cancellationToken)
            : base(inner)
        {
            _idleTimeout = idleTimeout;
            _cancellationToken = cancellationToken;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ThrowIfCallerCancelled(null, cancellationToken);
            if (_expired) throw Expired(null);
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
            idle.CancelAfter(_idleTimeout);
            // .NET Framework's network streams ignore the token: closing the stream is what ends a read there. The timer
            // may close it just as a read succeeds, so the expiry is remembered for the next read.
            using var unblock = idle.Token.Register(() =>
            {
                if (!_cancellationToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested) _expired = true;
                Inner.Dispose();
            });
            try
            {
                return await Inner.ReadAsync(buffer, offset, count, idle.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is IOException || ex is ObjectDisposedException)
            {
                // The caller's deadline or stop wins over the silence, whichever came first: on a loaded machine the
                // idle timer can fire a moment before the caller's deadline and its failure surface after it, and a
                // caller that cancelled expects to hear of its cancellation, not of a stream that went quiet.
                ThrowIfCallerCancelled(ex, cancellationToken);
                if (!_expired && !idle.IsCancellationRequested) throw;
                _expired = true;
                throw Expired(ex);
            }
        }

        /// <summary>A read after (or failing because) the caller cancelled is that cancellation, with the transport's failure inside.</summary>
        private void ThrowIfCallerCancelled(Exception? failure, CancellationToken cancellationToken)
        {
            var cancelled = _cancellationToken.IsCancellationRequested ? _cancellationToken
                : cancellationToken.IsCancellationRequested ? cancellationToken : (CancellationToken?)null;
            if (cancelled is CancellationToken token)
                throw new OperationCanceledException("The read was cancelled.", failure, token);
        }

        private TimeoutException Expired(Exception? inner) => new TimeoutException($"The stream sent nothing for {_idleTimeout.TotalSeconds:0.#} s.", inner);
    }
}
