using System;
using System.Net.Http;

namespace Cassette.Http
{
    /// <summary>
    /// The process's two HttpClients. Deadlines are per call, through cancellation tokens, so both have no timeout of
    /// their own. Queue calls carry the key and fal's queue never redirects: a redirect is answered as an error rather
    /// than followed, so no handler (on any runtime) can carry the Authorization header to another host.
    /// </summary>
    internal static class HttpClients
    {
        // Downloads follow redirects too, but AudioDownloader does it itself, so that every hop is checked (http(s) only,
        // no downgrade, a bounded count) and each refusal is a catalogued error rather than a handler's exception.
        private static readonly Lazy<HttpClient> SharedDownloads = new Lazy<HttpClient>(() => Create(followRedirects: false));
        private static readonly Lazy<HttpClient> SharedQueue = new Lazy<HttpClient>(() => Create(followRedirects: false));

        /// <summary>For downloads, which carry no key; AudioDownloader follows the file host's redirects.</summary>
        public static HttpClient Downloads => SharedDownloads.Value;

        /// <summary>For calls to the queue, which never follow redirects.</summary>
        public static HttpClient Queue => SharedQueue.Value;

        private static HttpClient Create(bool followRedirects)
        {
            var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects };
            try
            {
                // .NET Framework allows two connections per host by default, and every status stream holds one open.
                handler.MaxConnectionsPerServer = 256;
            }
            catch (PlatformNotSupportedException)
            {
            }
            return new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }
    }
}
