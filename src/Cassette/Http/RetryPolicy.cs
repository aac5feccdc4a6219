using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.Http
{
    /// <summary>
    /// When and how long to wait before trying a queue call again: exponential backoff with jitter, Retry-After
    /// honoured, and never a retry of what must not be retried (4xx other than 408/409/429, a 504 that reports the
    /// user's own start deadline, a submission that may already have reached the server).
    /// </summary>
    internal sealed class RetryPolicy
    {
        public const int DefaultMaxRetryCount = 3;
        public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(500);
        public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);
        /// <summary>A Retry-After longer than this is read as this: a hostile number must not overflow a TimeSpan.</summary>
        public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(120);

        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Random _random;
        private readonly object _gate = new object();

        public RetryPolicy(int maxRetryCount = DefaultMaxRetryCount, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null,
            Func<TimeSpan, CancellationToken, Task>? delay = null, Random? random = null)
        {
            if (maxRetryCount < 0) throw new ArgumentOutOfRangeException(nameof(maxRetryCount));
            MaxRetryCount = maxRetryCount;
            BaseDelay = baseDelay ?? DefaultBaseDelay;
            MaxDelay = maxDelay ?? DefaultMaxDelay;
            _delay = delay ?? Task.Delay;
            _random = random ?? new Random();
        }

        public int MaxRetryCount { get; }
        public TimeSpan BaseDelay { get; }
        public TimeSpan MaxDelay { get; }

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => _delay(delay, cancellationToken);

        /// <summary>Whether an answer is worth another try. Only gateway, throttling and conflict answers are.</summary>
        public static bool IsRetryable(HttpResponseMessage response)
        {
            int code = (int)response.StatusCode;
            if (code == 504 && response.Headers.TryGetValues("X-Fal-Request-Timeout-Type", out var kinds))
            {
                foreach (string kind in kinds)
                    if (string.Equals(kind.Trim(), "user", StringComparison.OrdinalIgnoreCase)) return false;
            }
            return code == 408 || code == 409 || code == 429 || code == 502 || code == 503 || code == 504;
        }

        /// <summary>
        /// Whether a transport failure is worth another try. A call that cannot have changed anything on the server
        /// (a GET, a cancel) always is; a submission only when the connection was never made, because a submission
        /// the server may have received would be paid for twice.
        /// </summary>
        public static bool IsRetryable(Exception exception, bool idempotent)
        {
            if (!(exception is HttpRequestException) && !(exception is IOException) && !(exception is SocketException)) return false;
            if (idempotent) return true;
            for (Exception? e = exception; e != null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.TryAgain:
                        case SocketError.AddressNotAvailable:
                            return true;
                    }
                }
            }
            return false;
        }

        /// <summary>
        /// What a failed send can throw when the network, not the program, failed: HttpClient's own exception, a socket
        /// or stream error that some runtimes let escape (a reset on accept), or a deadline nobody asked for.
        /// </summary>
        public static bool IsTransportFailure(Exception exception) =>
            exception is HttpRequestException || exception is IOException || exception is SocketException || exception is OperationCanceledException;

        /// <summary>The wait before retry number <paramref name="attempt"/> (1-based): Retry-After when the server gave one, else backoff.</summary>
        public TimeSpan DelayFor(int attempt, HttpResponseMessage? response) =>
            DelayFor(attempt, response is null ? (TimeSpan?)null : RetryAfter(response, DateTimeOffset.UtcNow));

        /// <summary>
        /// Whether a server asks for a longer pause than a retry ever waits (the backoff's cap, MaxDelay). Such an answer
        /// is reported instead of waited on: every wait of a call stays bounded by its attempts' read deadlines and the
        /// retry count, so a Stop-CassetteJob or a status read cannot sleep for minutes on one hostile header.
        /// </summary>
        public bool AsksTooLong(TimeSpan? retryAfter) => retryAfter > MaxDelay;

        /// <summary>The wait before retry number <paramref name="attempt"/>: the server's Retry-After (never past MaxDelay), else backoff.</summary>
        public TimeSpan DelayFor(int attempt, TimeSpan? retryAfter)
        {
            if (retryAfter is TimeSpan asked)
                return asked > MaxDelay ? MaxDelay : asked;
            double exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
            double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
            double jitter;
            lock (_gate) jitter = 0.75 + _random.NextDouble() * 0.5;
            return TimeSpan.FromMilliseconds(capped * jitter);
        }

        /// <summary>Reads Retry-After in both of its forms: delta seconds and an HTTP date.</summary>
        public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta is TimeSpan delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            if (header?.Date is DateTimeOffset date) return date <= now ? TimeSpan.Zero : date - now;
            if (response.Headers.TryGetValues("Retry-After", out var raw))
            {
                foreach (string value in raw)
                {
                    // Capped before it becomes a TimeSpan: a hostile "99999999999999999999" or "Infinity" would overflow it.
                    if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
                        return seconds >= MaxRetryAfter.TotalSeconds ? MaxRetryAfter : TimeSpan.FromSeconds(seconds);
                }
            }
            return null;
        }

        public static string Describe(HttpResponseMessage? response, Exception? exception) =>
            response != null ? $"{(int)response.StatusCode} ({response.ReasonPhrase})" : exception?.GetBaseException().Message ?? "a failure";

        internal static bool IsSuccess(HttpStatusCode code) => (int)code >= 200 && (int)code <= 299;
    }
}
