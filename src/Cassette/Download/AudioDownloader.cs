using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Audio;

namespace Cassette.Download
{
    /// <summary>
    /// Streams an audio url to disk through a temporary file in the target folder, and moves it into place
    /// only when its length and WAV header check out, so no half-written file is ever left behind.
    /// Downloads carry no Authorization header: fal's files are public and the key must not leave the queue host.
    /// </summary>
    internal sealed class AudioDownloader
    {
        private readonly HttpClient _http;

        public AudioDownloader(HttpClient http) => _http = http;

        public static bool IsAllowedScheme(Uri url) =>
            url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

        public async Task<WavInfo> DownloadAsync(Uri url, string destinationPath, bool overwrite, CancellationToken cancellationToken)
        {
            if (!IsAllowedScheme(url)) throw new ArgumentException($"Only http and https audio urls are downloaded, not '{url.Scheme}'.", nameof(url));
            string folder = Path.GetDirectoryName(destinationPath) ?? ".";
            Directory.CreateDirectory(folder);
            string temporary = Path.Combine(folder, "." + Path.GetFileName(destinationPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            try
            {
                using (var request = new HttpRequestMessage(HttpMethod.Get, url))
                using (var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
                {
                    response.EnsureSuccessStatusCode();
                    long? expected = response.Content.Headers.ContentLength;
                    using (var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    {
                        await source.CopyToAsync(target, 1 << 16, cancellationToken).ConfigureAwait(false);
                        await target.FlushAsync(cancellationToken).ConfigureAwait(false);
                        if (expected is long length && target.Length != length)
                            throw new IOException($"The download ended after {target.Length} of {length} bytes.");
                    }
                }

                WavInfo info;
                using (var check = File.OpenRead(temporary)) info = WavInfo.Read(check);
                if (overwrite && File.Exists(destinationPath)) File.Delete(destinationPath);
                File.Move(temporary, destinationPath);
                return info;
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }
    }
}
