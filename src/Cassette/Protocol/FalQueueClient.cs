using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Http;

namespace Cassette.Protocol
{
    /// <summary>
    /// fal's queue protocol over HTTP. The only class that talks to the queue; cmdlets call it.
    /// The key is attached only to requests for the queue's own host; every call goes through one retry loop.
    /// </summary>
    internal sealed class FalQueueClient
    {
        public const string DefaultQueueUrl = "https://queue.fal.run";
        /// <summary>fal pings the status stream every 15 s: a minute of silence means the stream (or the call) is dead.</summary>
        public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(60);

        private readonly HttpClient _http;
        private readonly FalApiKey? _key;

        public FalQueueClient(HttpClient http, Uri queueUrl, FalApiKey? key, RetryPolicy? retryPolicy = null)
        {
            _http = http;
            QueueUrl = queueUrl;
            _key = key;
            Retry = retryPolicy ?? new RetryPolicy();
        }

        public Uri QueueUrl { get; }
        public RetryPolicy Retry { get; }
        /// <summary>
        /// How long one attempt may wait for an answer (headers and body of a JSON call; headers of the status stream),
        /// and how long the stream may stay silent. An attempt that runs out is a transport failure, retried like one.
        /// </summary>
        public TimeSpan ReadTimeout { get; set; } = DefaultReadTimeout;

        public async Task<FalStatus> SubmitAsync(FalModelId model, IDictionary<string, object?> input, SubmitOptions options,
            Action<string>? diagnostics, CancellationToken cancellationToken)
        {
            var builder = new UriBuilder(new Uri(QueueUrl, model.FullId));
            if (options.WebhookUrl != null) builder.Query = "fal_webhook=" + Uri.EscapeDataString(options.WebhookUrl.AbsoluteUri);
            string json = JsonSerializer.Serialize(input);
            HttpRequestMessage Create()
            {
                var request = new HttpRequestMessage(HttpMethod.Post, builder.Uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("X-Fal-Queue-Priority", options.Priority == QueuePriority.Low ? "low" : "normal");
                if (options.StartTimeoutSeconds is int seconds)
                    request.Headers.TryAddWithoutValidation("X-Fal-Request-Timeout", seconds.ToString(CultureInfo.InvariantCulture));
                return request;
            }
            using var document = await SendForJsonAsync(Create, QueueCall.Submit, null, diagnostics, cancellationToken).ConfigureAwait(false);
            var status = FalJson.ParseStatus(document.RootElement, null);
            if (string.IsNullOrEmpty(status.RequestId))
                throw new FalApiException("The queue accepted the submission but returned no request_id.", HttpStatusCode.OK, null, null, null);
            return status;
        }

        public async Task<FalStatus> GetStatusAsync(FalModelId model, string requestId, Uri? statusUrl, bool includeLogs,
            Action<string>? diagnostics, CancellationToken cancellationToken)
        {
            var builder = new UriBuilder(statusUrl ?? RequestUrl(model, requestId, "/status")) { Query = includeLogs ? "logs=1" : "logs=0" };
            using var document = await SendForJsonAsync(() => new HttpRequestMessage(HttpMethod.Get, builder.Uri), QueueCall.Status, requestId,
                diagnostics, cancellationToken).ConfigureAwait(false);
            return CheckedStatus(FalJson.ParseStatus(document.RootElement, requestId), requestId);
        }

        /// <summary>
        /// Follows the status stream (server-sent events) and reports every status it carries. Returns the COMPLETED
        /// status, or null when the stream ended before it; throws when the stream cannot be opened or goes silent.
        /// </summary>
        public async Task<FalStatus?> StreamStatusAsync(FalModelId model, string requestId, Uri? statusUrl, Action<FalStatus> onStatus,
            Action<string>? diagnostics, CancellationToken cancellationToken)
        {
            var baseUrl = statusUrl ?? RequestUrl(model, requestId, "/status");
            var builder = new UriBuilder(baseUrl) { Query = "logs=1" };
            builder.Path = builder.Path.TrimEnd('/') + "/stream";
            HttpRequestMessage Create()
            {
                var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                return request;
            }
            using var response = await SendAsync(Create, QueueCall.Stream, HttpCompletionOption.ResponseHeadersRead, requestId, diagnostics, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ErrorFromAsync(response, requestId).ConfigureAwait(false);
            string? mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
                throw new FalApiException($"The status stream answered with '{mediaType}' instead of text/event-stream.", response.StatusCode, null, null, requestId);
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            // Disposing the response unblocks a read the idle deadline could not reach (older runtimes ignore read tokens).
            using var unblock = cancellationToken.Register(() => response.Dispose());
            // SseParser's synchronous Enumerate keeps Microsoft.Bcl.AsyncInterfaces out of the process (see docs/module.md),
            // so the stream is read on a thread of its own rather than a pool thread.
            return await Task.Factory.StartNew(() =>
            {
                // The parser keeps a whole event in memory, however long: an event is capped as a queue answer is.
                using var guarded = new EventSizeGuardStream(new IdleTimeoutStream(body, ReadTimeout, cancellationToken), FalBody.MaxBytes);
                try
                {
                    foreach (SseItem<string> item in SseParser.Create(guarded).Enumerate())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (string.IsNullOrWhiteSpace(item.Data)) continue;
                        FalStatus status;
                        try
                        {
                            using var document = JsonDocument.Parse(item.Data);
                            status = CheckedStatus(FalJson.ParseStatus(document.RootElement, requestId), requestId);
                        }
                        catch (JsonException ex)
                        {
                            throw new FalApiException("The status stream sent an event that is not JSON.", HttpStatusCode.OK, null, Truncate(item.Data), requestId, ex);
                        }
                        onStatus(status);
                        if (status.IsCompleted) return status;
                    }
                }
                catch (EventTooLargeException ex)
                {
                    throw new CassetteException(CassetteErrors.InvalidResponse, ex.Message, requestId, ex);
                }
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }

        public async Task<JsonDocument> GetResultAsync(FalModelId model, string requestId, Uri? responseUrl, Action<string>? diagnostics,
            CancellationToken cancellationToken)
        {
            var url = responseUrl ?? RequestUrl(model, requestId, string.Empty);
            return await SendForJsonAsync(() => new HttpRequestMessage(HttpMethod.Get, url), QueueCall.Result, requestId, diagnostics, cancellationToken)
                .ConfigureAwait(false);
        }

        public async Task<CancelOutcome> CancelAsync(FalModelId model, string requestId, Uri? cancelUrl, Action<string>? diagnostics,
            CancellationToken cancellationToken)
        {
            var url = cancelUrl ?? RequestUrl(model, requestId, "/cancel");
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, url), QueueCall.Cancel,
                HttpCompletionOption.ResponseContentRead, requestId, diagnostics, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return CancelOutcome.Requested;
            if (response.StatusCode == HttpStatusCode.BadRequest) return CancelOutcome.AlreadyCompleted;
            if (response.StatusCode == HttpStatusCode.NotFound) return CancelOutcome.NotFound;
            throw await ErrorFromAsync(response, requestId).ConfigureAwait(false);
        }

        /// <summary>
        /// Only fal's three statuses are understood. Waiting on anything else could last forever, so an unknown or
        /// missing status is reported (with the request id, which stays in the journal) instead of waited on. A status
        /// that names another request is not this request's: taking it would hand out someone else's track.
        /// </summary>
        private static FalStatus CheckedStatus(FalStatus status, string requestId)
        {
            if (!string.Equals(status.RequestId, requestId, StringComparison.Ordinal))
                throw new FalApiException($"The queue answered a status of request {requestId} with one of request '{Truncate(status.RequestId)}'.",
                    HttpStatusCode.OK, null, null, requestId);
            if (string.IsNullOrEmpty(status.Status))
                throw new FalApiException($"The queue's status of request {requestId} has no status field.", HttpStatusCode.OK, null, null, requestId);
            if (!FalStatus.IsKnown(status.Status))
                throw new FalApiException($"The queue reported status '{Truncate(status.Status)}' for request {requestId}; fal defines only IN_QUEUE, IN_PROGRESS and COMPLETED.",
                    HttpStatusCode.OK, null, null, requestId);
            return status;
        }

        private Uri RequestUrl(FalModelId model, string requestId, string suffix) =>
            new Uri(QueueUrl, $"{model.AppPath}/requests/{Uri.EscapeDataString(requestId)}{suffix}");

        /// <summary>True when the url is on the queue's own scheme, host and port: the only place the key may go.</summary>
        public bool IsQueueHost(Uri url) =>
            Uri.Compare(url, QueueUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

        private void Authorize(HttpRequestMessage request)
        {
            // The key belongs to the queue host alone: never send it to any other host a reply names.
            if (_key is null || request.RequestUri is null || !IsQueueHost(request.RequestUri)) return;
            request.Headers.TryAddWithoutValidation("Authorization", _key.AuthorizationValue);
        }

        /// <summary>
        /// The one retry loop: sends a fresh request per attempt, retries what the policy and fal's answer allow (see
        /// FalAnswers), and returns the last answer (successful or not) for the caller to read. Transport failures that
        /// may not be retried are thrown, and so is a submission's ambiguous gateway answer.
        /// </summary>
        private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, QueueCall call, HttpCompletionOption completion,
            string? requestId, Action<string>? diagnostics, CancellationToken cancellationToken)
        {
            bool idempotent = call != QueueCall.Submit;
            // fal-js retries the status call more often than the others; a poll costs nothing, and giving up loses sight of a billed request.
            int maxRetries = call == QueueCall.Status && Retry.MaxRetryCount > 0 ? Math.Max(Retry.MaxRetryCount, FalAnswers.MinStatusRetries) : Retry.MaxRetryCount;
            for (int attempt = 1; ; attempt++)
            {
                HttpResponseMessage? response = null;
                Exception? failure = null;
                using (var request = create())
                {
                    // A submission's body is watched: a stop before it left sent nothing, one after it may have cost money.
                    SendTrackingContent? body = null;
                    if (!idempotent && request.Content != null) request.Content = body = new SendTrackingContent(request.Content);
                    Authorize(request);
                    if (request.Headers.Accept.Count == 0) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    using var attemptDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    attemptDeadline.CancelAfter(ReadTimeout);
                    try
                    {
                        // Headers first, then the body read here, capped (FalBody.MaxBytes) rather than HttpClient's 2 GB buffer,
                        // within this attempt's deadline: a body that stalls after its status line holds the call no longer than
                        // -ReadTimeoutSec. A streamed call's error answer is read so too; its events are read as they come.
                        response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptDeadline.Token).ConfigureAwait(false);
                        if (completion == HttpCompletionOption.ResponseContentRead || !response.IsSuccessStatusCode)
                            await BufferAsync(response, requestId, attemptDeadline.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (RetryPolicy.IsTransportFailure(ex))
                    {
                        response?.Dispose();
                        response = null;
                        // The caller's deadline or stop wins over whatever the transport reports as it lands (a reset, a
                        // disposed connection): HttpClient turns only its own exception into a cancellation, and only when
                        // the token was cancelled before it looked, so on a loaded machine the rest arrive here raw.
                        if (cancellationToken.IsCancellationRequested)
                        {
                            if (body?.Started == true) throw new SubmissionInterruptedException(QueueUrl, ex, cancellationToken);
                            throw Cancelled(ex, cancellationToken);
                        }
                        // A cancellation nobody asked for is this attempt's deadline (or HttpClient's own timeout).
                        string late = $"The queue sent no answer within {ReadTimeout.TotalSeconds:0.#} s (-ReadTimeoutSec)";
                        failure = ex is OperationCanceledException ? new HttpRequestException(late + ".", new TimeoutException(late)) : ex;
                    }
                }
                bool retryable;
                if (response is null)
                {
                    retryable = RetryPolicy.IsRetryable(failure!, idempotent);
                }
                else if ((int)response.StatusCode >= 500)
                {
                    var verdict = FalAnswers.Judge(response, await ErrorBodyAsync(response).ConfigureAwait(false), call);
                    if (verdict == AnswerVerdict.AmbiguousSubmission)
                    {
                        using (response) throw await AmbiguousSubmissionAsync(response).ConfigureAwait(false);
                    }
                    retryable = verdict == AnswerVerdict.Retry;
                }
                else
                {
                    retryable = RetryPolicy.IsRetryable(response);
                }
                TimeSpan? retryAfter = response is null ? null : RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow);
                if (retryable && attempt <= maxRetries && Retry.AsksTooLong(retryAfter))
                {
                    // Waiting as long as the server asks would put this call past every bound its caller has: report the answer.
                    diagnostics?.Invoke($"{(requestId is null ? "The queue" : "Request " + requestId)}: {RetryPolicy.Describe(response, failure)} asks to " +
                        $"wait {retryAfter!.Value.TotalSeconds:0} s, longer than the {Retry.MaxDelay.TotalSeconds:0} s a retry waits; not retried.");
                    retryable = false;
                }
                if (attempt > maxRetries || !retryable)
                {
                    if (response != null) return response;
                    if (!idempotent && !RetryPolicy.IsRetryable(failure!, idempotent: false)) throw OutcomeUnknown(failure!);
                    throw Unreachable(failure!, requestId);
                }
                var delay = Retry.DelayFor(attempt, retryAfter);
                diagnostics?.Invoke($"{(requestId is null ? "The queue" : "Request " + requestId)}: {RetryPolicy.Describe(response, failure)}; " +
                    $"retry {attempt} of {maxRetries} in {delay.TotalSeconds:0.0} s.");
                response?.Dispose();
                await Retry.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The caller's cancellation, with the failure it raced kept inside.</summary>
        internal static OperationCanceledException Cancelled(Exception failure, CancellationToken cancellationToken) =>
            failure as OperationCanceledException ?? new OperationCanceledException("The call was cancelled.", failure, cancellationToken);

        /// <summary>
        /// Buffers a body that arrives after its headers, at most FalBody.MaxBytes of it: a larger one is disposed of and
        /// reported as InvalidResponse. Disposing the response is what ends a stalled one (netstandard2.0 has no token here).
        /// </summary>
        private static async Task BufferAsync(HttpResponseMessage response, string? requestId, CancellationToken cancellationToken)
        {
            byte[]? body;
            using (cancellationToken.Register(response.Dispose))
            {
                try
                {
                    body = await FalBody.ReadCappedAsync(response.Content).ConfigureAwait(false);
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested && (ex is ObjectDisposedException || RetryPolicy.IsTransportFailure(ex)))
                {
                    throw Cancelled(ex, cancellationToken);
                }
            }
            // A deadline or stop that landed after the last byte but before the registration was undone has disposed of
            // the response; the cancellation wins here as it does mid-read. (Undoing the registration waits for a callback
            // already running, and the token reads cancelled before its callbacks run, so nothing can slip past this.)
            cancellationToken.ThrowIfCancellationRequested();
            if (body is null)
            {
                long? declared = response.Content.Headers.ContentLength;
                string size = declared is long length ? $"{length} bytes by its Content-Length" : $"more than {FalBody.MaxBytes} bytes read";
                string message = $"The queue answered {(int)response.StatusCode} with a body larger than the {FalBody.MaxBytes / (1024 * 1024)} MB " +
                    $"a queue answer may have ({size}); fal's answers are a few kilobytes, so it was not read.";
                response.Dispose();
                throw new CassetteException(CassetteErrors.InvalidResponse, message, requestId);
            }
            var buffered = new ByteArrayContent(body);
            foreach (var header in response.Content.Headers)
            {
                // The buffer's own length is the true one.
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content.Dispose();
            response.Content = buffered;
        }

        /// <summary>An error answer's body, buffered so that it can be read again when the answer is reported.</summary>
        private static async Task<string> ErrorBodyAsync(HttpResponseMessage response)
        {
            await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            return await FalBody.ReadTextAsync(response.Content).ConfigureAwait(false);
        }

        /// <summary>
        /// A submission answered 502 or 504 by the queue itself (the answer names a request id): the queue may have
        /// accepted it. Sending it again could pay twice, so the id it named is handed to the user instead.
        /// </summary>
        private async Task<CassetteException> AmbiguousSubmissionAsync(HttpResponseMessage response)
        {
            var answer = await ErrorFromAsync(response, null).ConfigureAwait(false);
            string? id = FalAnswers.RequestId(response);
            return new CassetteException(CassetteErrors.SubmissionOutcomeUnknown,
                $"{answer.Message} The queue may have accepted the submission{(id is null ? "" : $" as request {id}")}; it was not sent again so that it " +
                $"is not paid for twice.{(id is null ? "" : $" Get-CassetteJob -RequestId {id} tells whether it exists.")}", id, answer);
        }

        /// <summary>
        /// A submission whose connection broke after it was sent may have been queued, and billed, without its answer
        /// ever arriving. It is not sent again (that could pay twice); the user is told exactly that.
        /// </summary>
        private CassetteException OutcomeUnknown(Exception failure) =>
            new CassetteException(CassetteErrors.SubmissionOutcomeUnknown,
                $"The connection to {QueueUrl.GetLeftPart(UriPartial.Authority)} failed after the submission was sent " +
                $"({failure.GetBaseException().Message}). The queue may have accepted it, but no request id arrived; it was not " +
                "sent again so that it is not paid for twice. Check your fal dashboard before submitting it again.", null, failure);

        /// <summary>A transport failure (refused, reset, no answer in time) after every retry, with the failure kept inside.</summary>
        private CassetteException Unreachable(Exception failure, string? requestId) =>
            new CassetteException(CassetteErrors.ConnectionFailed,
                $"The queue at {QueueUrl.GetLeftPart(UriPartial.Authority)} could not be reached: {failure.GetBaseException().Message}", requestId, failure);

        private async Task<JsonDocument> SendForJsonAsync(Func<HttpRequestMessage> create, QueueCall call, string? requestId,
            Action<string>? diagnostics, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(create, call, HttpCompletionOption.ResponseContentRead, requestId, diagnostics, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ErrorFromAsync(response, requestId).ConfigureAwait(false);
            string body = await FalBody.ReadTextAsync(response.Content).ConfigureAwait(false);
            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new FalApiException($"The queue answered {(int)response.StatusCode} with a body that is not JSON.", response.StatusCode, null, Truncate(body), requestId, ex);
            }
        }

        internal static async Task<FalApiException> ErrorFromAsync(HttpResponseMessage response, string? requestId)
        {
            string body = await FalBody.ReadTextAsync(response.Content).ConfigureAwait(false);
            string? detail = null;
            string? errorType = response.Headers.TryGetValues("X-Fal-Error-Type", out var values) ? string.Join(",", values) : null;
            var fieldErrors = new List<FalFieldError>();
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                detail = FalJson.String(root, "detail") ?? FalJson.String(root, "error") ?? FalJson.String(root, "message");
                errorType = FalJson.String(root, "error_type") ?? errorType;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var list) && list.ValueKind == JsonValueKind.Array)
                    fieldErrors.AddRange(FalJson.FieldErrors(list));
            }
            catch (JsonException)
            {
                // Not JSON (a proxy page, an auth error): the text itself is the detail.
            }
            if (fieldErrors.Count > 0) detail = string.Join("; ", fieldErrors);
            detail ??= Truncate(body);
            bool userTimeout = (int)response.StatusCode == 504 && response.Headers.TryGetValues("X-Fal-Request-Timeout-Type", out var kinds)
                && string.Join(",", kinds).IndexOf("user", StringComparison.OrdinalIgnoreCase) >= 0;
            int code = (int)response.StatusCode;
            bool locked = FalAnswers.IsLockedAccount(code, detail);
            bool? retryable = FalAnswers.Retryable(response);
            // Judged as the status call would be: a gateway answer that is retried there is trouble on the way, not an outcome.
            bool gateway = (code == 502 || code == 503 || code == 504) && FalAnswers.Judge(response, body, QueueCall.Status) == AnswerVerdict.Retry;
            string message = $"The fal queue answered {code} ({response.ReasonPhrase})" + (string.IsNullOrWhiteSpace(detail) ? "." : ": " + detail);
            if (locked) message += " The fal account's balance is exhausted: top up at https://fal.ai/dashboard/billing, then submit again.";
            return new FalApiException(message, response.StatusCode, errorType, Truncate(body), requestId, null, fieldErrors, userTimeout, locked, retryable, gateway);
        }

        private static string Truncate(string text) => text.Length <= 2000 ? text : text.Substring(0, 2000) + "…";
    }
}
