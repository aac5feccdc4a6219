using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Cassette.Download
{
    /// <summary>
    /// What has arrived of one file across attempts: the bytes in the temporary file, the full size the host
    /// announced, and the validator (a strong ETag, else Last-Modified) that lets a resumed request ask for the rest
    /// of the very same file (If-Range). Decides whether an answer continues the file or starts it again.
    /// </summary>
    internal sealed class PartialBody
    {
        private readonly FileStream _file;

        public PartialBody(FileStream file, long? expectedSize)
        {
            _file = file;
            ExpectedSize = expectedSize;
        }

        public long Received { get; private set; }
        /// <summary>The full size from Content-Length or Content-Range, else the size the result announced.</summary>
        public long? Total { get; private set; }
        public long? ExpectedSize { get; }
        public RangeConditionHeaderValue? Validator { get; private set; }

        /// <summary>Asks only for the missing part once some has arrived, and only of the same version of the file.</summary>
        public void Prepare(HttpRequestMessage request)
        {
            if (Received == 0) return;
            request.Headers.Range = new RangeHeaderValue(Received, null);
            if (Validator != null) request.Headers.IfRange = Validator;
        }

        /// <summary>
        /// Reads an answer's headers. True when its body continues what arrived (or starts afresh, the file emptied);
        /// false when it is a range that does not fit, after which the next attempt starts from the beginning.
        /// </summary>
        public bool Accept(HttpResponseMessage response)
        {
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                bool fits = Received > 0 && range?.From == Received && range.HasLength && (Total is null || range.Length == Total);
                if (!fits)
                {
                    Restart();
                    return false;
                }
                Total = range!.Length;
                return true;
            }
            // A whole answer: the host ignored the range, or the file changed (If-Range failed). Either way, start over.
            if (Received > 0) Restart();
            Total = response.Content.Headers.ContentLength ?? ExpectedSize;
            var etag = response.Headers.ETag;
            Validator = etag != null && !etag.IsWeak ? new RangeConditionHeaderValue(etag)
                : response.Content.Headers.LastModified is DateTimeOffset modified ? new RangeConditionHeaderValue(modified) : null;
            return true;
        }

        public void Advance(int bytes) => Received += bytes;

        public void Restart()
        {
            _file.SetLength(0);
            _file.Position = 0;
            Received = 0;
            Total = null;
            Validator = null;
        }
    }
}
