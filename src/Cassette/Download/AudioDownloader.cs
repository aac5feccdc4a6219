using System;
using System.IO;
using System.Management.Automation;
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
        /// <summary>Far beyond any WAV the generator makes (180 s of 44.1 kHz stereo is 32 MB): a bigger body is not a track.</summary>
        public const long MaxAudioBytes = 1L << 30;

        private readonly HttpClient _http;

        public AudioDownloader(HttpClient http) => _http = http;

        public static bool IsAllowedScheme(Uri url) =>
            url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

        /// <param name="progress">Called with (bytes so far, total when known) as the body arrives.</param>
        public async Task<WavInfo> DownloadAsync(Uri url, string destinationPath, bool overwrite, long? expectedSize,
            Action<long, long?>? progress, CancellationToken cancellationToken)
        {
            if (!IsAllowedScheme(url))
                throw new CassetteException("UnsupportedUrlScheme", ErrorCategory.InvalidArgument,
                    $"Only http and https audio urls are downloaded, not '{(url.IsAbsoluteUri ? url.Scheme : url.OriginalString)}'.");
            string folder = Path.GetDirectoryName(destinationPath) ?? ".";
            string temporary = Path.Combine(folder, "." + Path.GetFileName(destinationPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            try
            {
                using (var request = new HttpRequestMessage(HttpMethod.Get, url))
                using (var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
                {
                    if (!response.IsSuccessStatusCode)
                        throw new CassetteException("DownloadFailed", ErrorCategory.ReadError,
                            $"The file host answered {(int)response.StatusCode} ({response.ReasonPhrase}) for {url.GetLeftPart(UriPartial.Path)}.");
                    long? length = response.Content.Headers.ContentLength;
                    if (length > MaxAudioBytes)
                        throw new CassetteException("AudioTooLarge", ErrorCategory.InvalidData,
                            $"The file host announced {length} bytes, more than the {MaxAudioBytes} a track can be.");
                    long? total = length ?? expectedSize;
                    using var unblock = cancellationToken.Register(() => response.Dispose());
                    using (var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    {
                        var buffer = new byte[1 << 16];
                        long done = 0;
                        int read;
                        while ((read = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            done += read;
                            if (done > MaxAudioBytes)
                                throw new CassetteException("AudioTooLarge", ErrorCategory.InvalidData, $"The download passed {MaxAudioBytes} bytes; it is not a track.");
                            await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                            progress?.Invoke(done, total);
                        }
                        await target.FlushAsync(cancellationToken).ConfigureAwait(false);
                        if (length is long announced && done != announced)
                            throw new CassetteException("DownloadIncomplete", ErrorCategory.ReadError, $"The download ended after {done} of {announced} bytes.");
                        if (expectedSize is long expected && expected > 0 && done != expected)
                            throw new CassetteException("DownloadIncomplete", ErrorCategory.ReadError,
                                $"The download has {done} bytes but the result announced {expected}.");
                    }
                }
                cancellationToken.ThrowIfCancellationRequested();

                WavInfo info;
                using (var check = File.OpenRead(temporary)) info = WavInfo.Read(check);
                if (overwrite && File.Exists(destinationPath))
                    File.Replace(temporary, destinationPath, null);
                else
                    File.Move(temporary, destinationPath);
                return info;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is HttpRequestException
                                       || (ex is IOException && ex.InnerException is System.Net.Sockets.SocketException)))
            {
                throw new CassetteException("DownloadFailed", ErrorCategory.ConnectionError,
                    $"The download from {url.GetLeftPart(UriPartial.Path)} failed: {ex.GetBaseException().Message}", null, ex);
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (IOException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }
    }
}
