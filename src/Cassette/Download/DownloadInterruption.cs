using System;

namespace Cassette.Download
{
    /// <summary>
    /// A download attempt that broke off in a way another attempt may fix: a dropped connection, a body that stopped
    /// short or went silent, a gateway or throttling answer. It becomes a CassetteException once the retries run out.
    /// </summary>
    internal sealed class DownloadInterruption : Exception
    {
        public DownloadInterruption(CassetteError error, string message, TimeSpan? retryAfter = null, Exception? inner = null)
            : base(message, inner)
        {
            Error = error;
            RetryAfter = retryAfter;
        }

        /// <summary>The catalogue entry the download fails with if no attempt is left.</summary>
        public CassetteError Error { get; }
        /// <summary>The host's Retry-After, when it sent one.</summary>
        public TimeSpan? RetryAfter { get; }

        public static DownloadInterruption Broken(Exception transport) =>
            new DownloadInterruption(CassetteErrors.DownloadFailed, $"the connection failed ({transport.GetBaseException().Message})", null, transport);

        public static DownloadInterruption Stalled(TimeoutException timeout) =>
            new DownloadInterruption(CassetteErrors.DownloadStalled, timeout.Message.TrimEnd('.') + " (-ReadTimeoutSec)", null, timeout);

        public static DownloadInterruption TooSlow(long bytes, TimeSpan window, int minimumPerSecond) =>
            new DownloadInterruption(CassetteErrors.DownloadStalled,
                $"the file host sent {bytes} bytes in {window.TotalSeconds:0.#} s, slower than the {minimumPerSecond / 1024} KiB/s a download must keep up " +
                "over every -ReadTimeoutSec");

        public static DownloadInterruption EndedShort(long received, long total, Exception? transport = null) =>
            new DownloadInterruption(CassetteErrors.DownloadIncomplete, $"the body ended after {received} of {total} bytes", null, transport);

        public CassetteException Final(Uri url, int attempts) =>
            new CassetteException(Error,
                $"The download from {url.GetLeftPart(UriPartial.Path)} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {Message}. " +
                "Nothing was saved; -MaxRetryCount sets how often a broken download is resumed.", null, this);
    }
}
