using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.Protocol
{
    /// <summary>
    /// A request body that remembers whether the handler started to send it. The handler serializes the body only once it
    /// has a connection to write to, so a stop before that provably sent nothing; once it started, the queue may have it.
    /// The length is passed on so that no handler buffers the body (which would serialize it before any connection).
    /// </summary>
    internal sealed class SendTrackingContent : HttpContent
    {
        private readonly HttpContent _inner;
        private int _started;

        public SendTrackingContent(HttpContent inner)
        {
            _inner = inner;
            foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        /// <summary>True once any byte of the body may have left for the server.</summary>
        public bool Started => Volatile.Read(ref _started) != 0;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Volatile.Write(ref _started, 1);
            return _inner.CopyToAsync(stream);
        }

        protected override bool TryComputeLength(out long length)
        {
            long? known = _inner.Headers.ContentLength;
            length = known ?? 0;
            return known.HasValue;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
