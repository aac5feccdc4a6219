using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.Protocol
{
    /// <summary>
    /// fal's queue protocol over HTTP. The only class that talks to the queue; cmdlets call it.
    /// The key is attached only to requests for the queue's own host.
    /// </summary>
    internal sealed class FalQueueClient
    {
        public const string DefaultQueueUrl = "https://queue.fal.run";

        private readonly HttpClient _http;
        private readonly FalApiKey? _key;

        public FalQueueClient(HttpClient http, Uri queueUrl, FalApiKey? key)
        {
            _http = http;
            QueueUrl = queueUrl;
            _key = key;
        }

        public Uri QueueUrl { get; }

        public async Task<FalStatus> SubmitAsync(FalModelId model, IDictionary<string, object?> input, CancellationToken cancellationToken)
        {
            var url = new Uri(QueueUrl, model.FullId);
            string json = JsonSerializer.Serialize(input);
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            using var document = await SendForJsonAsync(request, null, cancellationToken).ConfigureAwait(false);
            var status = FalJson.ParseStatus(document.RootElement, null);
            if (string.IsNullOrEmpty(status.RequestId))
                throw new FalApiException("The queue accepted the submission but returned no request_id.", HttpStatusCode.OK, null, null, null);
            return status;
        }

        public async Task<FalStatus> GetStatusAsync(FalModelId model, string requestId, Uri? statusUrl, bool includeLogs, CancellationToken cancellationToken)
        {
            var url = statusUrl ?? RequestUrl(model, requestId, "/status");
            var builder = new UriBuilder(url) { Query = includeLogs ? "logs=1" : "logs=0" };
            using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            using var document = await SendForJsonAsync(request, requestId, cancellationToken).ConfigureAwait(false);
            return FalJson.ParseStatus(document.RootElement, requestId);
        }

        public async Task<JsonDocument> GetResultAsync(FalModelId model, string requestId, Uri? responseUrl, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, responseUrl ?? RequestUrl(model, requestId, string.Empty));
            return await SendForJsonAsync(request, requestId, cancellationToken).ConfigureAwait(false);
        }

        public async Task CancelAsync(FalModelId model, string requestId, Uri? cancelUrl, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, cancelUrl ?? RequestUrl(model, requestId, "/cancel"));
            Authorize(request);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            // 400 ALREADY_COMPLETED and 404 NOT_FOUND mean there is nothing left to cancel.
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.BadRequest && response.StatusCode != HttpStatusCode.NotFound)
                throw await ErrorFromAsync(response, requestId).ConfigureAwait(false);
        }

        /// <summary>Polls until the request completes, reporting each status it sees.</summary>
        public async Task<FalStatus> WaitForCompletionAsync(FalModelId model, FalStatus submitted, TimeSpan pollInterval,
            Action<FalStatus>? onStatus, CancellationToken cancellationToken)
        {
            while (true)
            {
                var status = await GetStatusAsync(model, submitted.RequestId, submitted.StatusUrl, includeLogs: true, cancellationToken).ConfigureAwait(false);
                onStatus?.Invoke(status);
                if (status.IsCompleted) return status;
                await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        private Uri RequestUrl(FalModelId model, string requestId, string suffix) =>
            new Uri(QueueUrl, $"{model.AppPath}/requests/{Uri.EscapeDataString(requestId)}{suffix}");

        private void Authorize(HttpRequestMessage request)
        {
            // The key belongs to the queue host alone: never send it to any other host a reply names.
            if (_key is null || request.RequestUri is null) return;
            if (Uri.Compare(request.RequestUri, QueueUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                return;
            request.Headers.TryAddWithoutValidation("Authorization", _key.AuthorizationValue);
        }

        private async Task<JsonDocument> SendForJsonAsync(HttpRequestMessage request, string? requestId, CancellationToken cancellationToken)
        {
            Authorize(request);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ErrorFromAsync(response, requestId).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new FalApiException($"The queue answered {(int)response.StatusCode} with a body that is not JSON.", response.StatusCode, null, Truncate(body), requestId, ex);
            }
        }

        private static async Task<FalApiException> ErrorFromAsync(HttpResponseMessage response, string? requestId)
        {
            string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            string? detail = null;
            string? errorType = response.Headers.TryGetValues("X-Fal-Error-Type", out var values) ? string.Join(",", values) : null;
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                detail = FalJson.String(root, "detail") ?? FalJson.String(root, "error") ?? FalJson.String(root, "message");
                errorType = FalJson.String(root, "error_type") ?? errorType;
            }
            catch (JsonException)
            {
                // Not JSON (a proxy page, an auth error): the text itself is the detail.
            }
            detail ??= Truncate(body);
            string message = $"The fal queue answered {(int)response.StatusCode} ({response.ReasonPhrase})" +
                (string.IsNullOrWhiteSpace(detail) ? "." : ": " + detail);
            return new FalApiException(message, response.StatusCode, errorType, Truncate(body), requestId);
        }

        private static string Truncate(string text) => text.Length <= 2000 ? text : text.Substring(0, 2000) + "…";
    }
}
