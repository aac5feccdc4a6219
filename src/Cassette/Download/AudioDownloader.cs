using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Audio;
using Cassette.Http;

namespace Cassette.Download
{
    /// <summary>
    /// Streams an audio url to disk through a temporary file in the target folder, and moves it into place only when
    /// it is complete and its WAV header checks out, so no half-written file is ever left behind. A download that
    /// breaks off, stops short or goes silent is resumed where it stopped (Range, guarded by If-Range), or started
    /// again when the host cannot resume, up to the retry policy's count.
    /// Downloads carry no Authorization header: fal's files are public and the key must not leave the queue host.
    /// </summary>
    internal sealed class AudioDownloader
    {
        /// <summary>
        /// 180 s of 44.1 kHz 16-bit stereo, the longest track, is 31.75 MB; twice that leaves room for other PCM
        /// formats. A bigger body is not a track, and is refused before anything is written.
        /// </summary>
        public const long MaxAudioBytes = 64L * 1024 * 1024;

        /// <summary>Redirects followed per attempt; more is a loop.</summary>
        public const int MaxRedirects = 10;

        /// <summary>
        /// Bytes between two progress reports. Reporting every network read (hundreds per track) made an object and a
        /// redraw on the pipeline thread each time, most of what a save allocated; in 512 KiB steps a 180 s track is
        /// reported about 60 times, finer than a progress bar can show.
        /// </summary>
        public const int ProgressStep = 512 * 1024;

        /// <summary>The size of the read buffer, rented from the shared pool so that repeated saves allocate none.</summary>
        private const int ReadBufferSize = 1 << 16;

        /// <summary>How long the file host may stay silent before an attempt counts as stalled.</summary>
        public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(60);

        private readonly HttpClient _http;
        private readonly RetryPolicy _retry;
        private readonly TimeSpan _readTimeout;

        public AudioDownloader(HttpClient http, RetryPolicy? retry = null, TimeSpan? readTimeout = null)
        {
            _http = http;
            _retry = retry ?? new RetryPolicy();
            _readTimeout = readTimeout ?? DefaultReadTimeout;
        }

        public static bool IsAllowedScheme(Uri url) =>
            url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

        /// <param name="progress">Called with (bytes so far, total when known) as the body arrives.</param>
        /// <param name="diagnostics">Told about every resumed or restarted attempt.</param>
        public async Task<WavInfo> DownloadAsync(Uri url, string destinationPath, bool overwrite, long? expectedSize,
            Action<long, long?>? progress, Action<string>? diagnostics, CancellationToken cancellationToken)
        {
            if (!IsAllowedScheme(url))
                throw new CassetteException(CassetteErrors.UnsupportedUrlScheme,
                    $"Only http and https audio urls are downloaded, not '{(url.IsAbsoluteUri ? url.Scheme : url.OriginalString)}'.");
            if (expectedSize > MaxAudioBytes) throw TooLarge($"The result announces {expectedSize} bytes");
            EnsureReplaceable(destinationPath);
            int stale = PartialFile.RemoveStale(destinationPath);
            if (stale > 0) diagnostics?.Invoke($"Removed {stale} partial file{(stale == 1 ? "" : "s")} of {destinationPath} left by a save that was killed.");
            string temporary = PartialFile.NewPath(destinationPath);
            try
            {
                WavInfo info;
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
                {
                    var body = new PartialBody(file, expectedSize);
                    for (int attempt = 1; ; attempt++)
                    {
                        try
                        {
                            await FetchAsync(url, body, file, progress, cancellationToken).ConfigureAwait(false);
                            break;
                        }
                        catch (DownloadInterruption interruption) when (attempt <= _retry.MaxRetryCount)
                        {
                            var delay = _retry.DelayFor(attempt, interruption.RetryAfter);
                            diagnostics?.Invoke($"The download of {url.GetLeftPart(UriPartial.Path)}: {interruption.Message}; " +
                                (body.Received > 0 ? $"resuming at byte {body.Received}" : "starting again") +
                                $", retry {attempt} of {_retry.MaxRetryCount} in {delay.TotalSeconds:0.0} s.");
                            await _retry.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                        }
                        catch (DownloadInterruption interruption)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            throw interruption.Final(url, attempt);
                        }
                    }
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Position = 0;
                    info = WavInfo.Read(file);
                    if (expectedSize is long expected && expected > 0 && body.Received != expected)
                        throw new CassetteException(CassetteErrors.DownloadIncomplete,
                            $"The download has {body.Received} bytes but the result announced {expected}.");
                }
                cancellationToken.ThrowIfCancellationRequested();
                // Checked again at the last moment: renaming onto a FIFO or a device would replace it (as root, /dev/null too).
                EnsureReplaceable(destinationPath);
                if (overwrite && File.Exists(destinationPath))
                    File.Replace(temporary, destinationPath, null);
                else
                    File.Move(temporary, destinationPath);
                return info;
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException) && !(ex is CassetteException)
                                       && (ex is ObjectDisposedException || ex is DownloadInterruption || RetryPolicy.IsTransportFailure(ex)))
            {
                // Whatever the transport or the file made of the cancellation (a disposed body, a reset), the cancellation it is.
                throw new OperationCanceledException("The download was cancelled.", ex, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                throw new CassetteException(CassetteErrors.InvalidAudio, $"The download from {url.GetLeftPart(UriPartial.Path)} is not a usable WAV file: {ex.Message} Nothing was saved.", null, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new CassetteException(CassetteErrors.AccessDenied, $"'{destinationPath}' could not be written: {ex.Message}", null, ex);
            }
            catch (IOException ex)
            {
                throw new CassetteException(CassetteErrors.FileError, $"'{destinationPath}' could not be written: {ex.Message}", null, ex);
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        /// <summary>A FIFO, socket or device at the destination is never replaced; a regular file or a symlink (the link itself) may be.</summary>
        public static void EnsureReplaceable(string destinationPath)
        {
            if (UnixFileKind.Of(destinationPath) == FileKind.Special)
                throw new CassetteException(CassetteErrors.NotARegularFile,
                    $"'{destinationPath}' is a FIFO, socket or device, not a file: audio is never written onto it, even with -Force. Nothing was saved.");
        }

        /// <summary>One attempt: asks for what is missing and appends what arrives; throws DownloadInterruption when another attempt may help.</summary>
        private async Task FetchAsync(Uri url, PartialBody body, FileStream file, Action<long, long?>? progress, CancellationToken cancellationToken)
        {
            using var response = await FollowAsync(url, body, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && body.Received > 0)
                {
                    body.Restart();
                    throw new DownloadInterruption(CassetteErrors.DownloadFailed, "the host could not resume the file");
                }
                string answer = $"the file host answered {(int)response.StatusCode} ({response.ReasonPhrase})";
                if (RetryPolicy.IsRetryable(response))
                    throw new DownloadInterruption(CassetteErrors.DownloadFailed, answer, RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow));
                throw new CassetteException(CassetteErrors.DownloadFailed, $"The download from {url.GetLeftPart(UriPartial.Path)} failed: {answer}.");
            }
            if (!body.Accept(response))
                throw new DownloadInterruption(CassetteErrors.DownloadFailed, "the host resumed the file at another place");
            if (body.Total > MaxAudioBytes) throw TooLarge($"The file host announced {body.Total} bytes");

            // One idle deadline per attempt, armed for each read and disarmed between reads. IdleTimeoutStream makes a
            // linked source, a timer and a registration for every read, which over the hundreds of reads of a track was
            // most of what a save allocated. Closing the response is what ends a read that ignores its token (.NET
            // Framework's network streams), on Ctrl+C and on silence alike.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var unblock = idle.Token.Register(() => response.Dispose());
            using var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            try
            {
                var pace = new ThroughputGuard(_readTimeout);
                pace.Restart();
                long reported = -1;
                while (true)
                {
                    int read = await ReadAsync(source, buffer, body, idle, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    pace.Add(read);
                    if (body.Received + read > MaxAudioBytes) throw TooLarge("The download passed that size");
                    await file.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                    body.Advance(read);
                    if (progress != null && (reported < 0 || body.Received - reported >= ProgressStep || body.Received == body.Total))
                    {
                        progress(body.Received, body.Total);
                        reported = body.Received;
                    }
                }
                if (progress != null && reported != body.Received) progress(body.Received, body.Total);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            if (body.Total is long total && body.Received < total) throw DownloadInterruption.EndedShort(body.Received, total);
            if (body.Total is long announced && body.Received > announced)
                throw new CassetteException(CassetteErrors.DownloadIncomplete, $"The file host sent {body.Received} bytes after announcing {announced}.");
        }

        /// <summary>
        /// Sends an attempt's request and follows the file host's redirects itself (the download client follows none):
        /// only to http(s), never from https down to plain http, at most MaxRedirects. Each refusal is a catalogued error.
        /// </summary>
        private async Task<HttpResponseMessage> FollowAsync(Uri url, PartialBody body, CancellationToken cancellationToken)
        {
            var current = url;
            for (int hop = 0; ; hop++)
            {
                HttpResponseMessage response;
                using (var request = new HttpRequestMessage(HttpMethod.Get, current))
                {
                    body.Prepare(request);
                    response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                int code = (int)response.StatusCode;
                if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return response;
                Uri? location = response.Headers.Location;
                response.Dispose();
                string from = current.GetLeftPart(UriPartial.Path);
                if (location is null)
                    throw new CassetteException(CassetteErrors.DownloadFailed, $"The file host redirected {from} ({code}) without a usable Location. Nothing was saved.");
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (!IsAllowedScheme(next))
                    throw new CassetteException(CassetteErrors.UnsupportedUrlScheme,
                        $"The file host redirected {from} to a '{next.Scheme}' url; only http and https are followed. Nothing was saved.");
                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
                    throw new CassetteException(CassetteErrors.DownloadFailed,
                        $"The file host redirected {from} from https to plain http, which is not followed. Nothing was saved.");
                if (hop >= MaxRedirects)
                    throw new CassetteException(CassetteErrors.DownloadFailed,
                        $"The file host redirected {url.GetLeftPart(UriPartial.Path)} more than {MaxRedirects} times. Nothing was saved.");
                current = next;
            }
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            headers.CancelAfter(_readTimeout);
            try
            {
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (RetryPolicy.IsTransportFailure(ex))
            {
                // The caller's deadline or stop wins over a failure that raced it (a SocketException escapes HttpClient raw).
                if (cancellationToken.IsCancellationRequested) throw ex as OperationCanceledException ?? new OperationCanceledException("The download was cancelled.", ex, cancellationToken);
                if (ex is OperationCanceledException) throw DownloadInterruption.Stalled(new TimeoutException($"The file host sent no answer for {_readTimeout.TotalSeconds:0.#} s.", ex));
                throw DownloadInterruption.Broken(ex);
            }
        }

        /// <summary>One read of the body, which must bring something within the read timeout.</summary>
        private async Task<int> ReadAsync(Stream source, byte[] buffer, PartialBody body, CancellationTokenSource idle, CancellationToken cancellationToken)
        {
            idle.CancelAfter(_readTimeout);
            try
            {
                return await source.ReadAsync(buffer, 0, ReadBufferSize, idle.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Also when the deadline passed just as the previous read succeeded: the response is closed by then.
                throw DownloadInterruption.Stalled(new TimeoutException($"The file host sent nothing for {_readTimeout.TotalSeconds:0.#} s.", ex));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && RetryPolicy.IsTransportFailure(ex) && !(ex is OperationCanceledException))
            {
                // Once the headers have arrived, a broken connection is a body that stopped short (.NET reports a body
                // shorter than its Content-Length this way too): what arrived is kept and the rest asked for.
                throw body.Total is long total ? DownloadInterruption.EndedShort(body.Received, total, ex) : DownloadInterruption.Broken(ex);
            }
            finally
            {
                if (!idle.IsCancellationRequested) idle.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }

        /// <summary>The temporary file goes whatever happened; one that cannot be deleted must not hide the real failure.</summary>
        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
        }

        private static CassetteException TooLarge(string what) =>
            new CassetteException(CassetteErrors.AudioTooLarge,
                $"{what}, more than the {MaxAudioBytes} bytes a track can be (180 s of 44.1 kHz 16-bit stereo is 31.75 MB); nothing was downloaded or kept.");
    }
}
