using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Protocol;

namespace Cassette.Lifecycle
{
    /// <summary>Turns a COMPLETED request into its track, or into the error that says why it has none.</summary>
    internal static class ResultReader
    {
        /// <summary>
        /// The result endpoint decides: fal's result repeats the model's own answer, so a 200 with audio is a track even
        /// when the status carried a stale error, and a 422 after COMPLETED is the model refusing the input (a final
        /// failure, with its field messages), not trouble reaching the queue.
        /// </summary>
        public static async Task<CassetteTrack> ReadTrackAsync(FalQueueClient client, CassetteRequest request, FalStatus completed,
            Action<string>? diagnostics, CancellationToken cancellationToken)
        {
            var model = FalModelId.Parse(request.Model);
            JsonDocument result;
            try
            {
                // The result is fal's own account of a failure too (its status code, error_type, headers), so read it either way.
                result = await client.GetResultAsync(model, request.RequestId, completed.ResponseUrl ?? request.ResponseUrl, diagnostics, cancellationToken).ConfigureAwait(false);
            }
            catch (FalApiException ex) when (IsModelRefusal(ex))
            {
                throw;
            }
            catch (FalApiException ex) when (completed.HasError || ((int)ex.StatusCode >= 499 && !IsGatewayTrouble(ex)))
            {
                throw Failure(request.RequestId, completed, ex);
            }
            using (result)
            {
                TrackResult track;
                try
                {
                    track = TrackResult.Parse(result.RootElement, request.RequestId);
                }
                catch (CassetteException) when (completed.HasError)
                {
                    // No audio in the result, and the status said why.
                    throw Failure(request.RequestId, completed, null);
                }
                if (completed.HasError)
                    diagnostics?.Invoke($"Request {request.RequestId}: the status reported an error ({completed.ErrorType ?? completed.Error}), but the result has its audio; the result wins.");
                return RequestSnapshots.Track(request, track, completed);
            }
        }

        /// <summary>A 422 from the result: the model refused the input after the request completed (fal may still charge for it).</summary>
        public static bool IsModelRefusal(CassetteException failure) =>
            failure is FalApiException api && (int)api.StatusCode == 422;

        /// <summary>The journal's words for a model's refusal: its field messages, and whether fal says submitting again may succeed.</summary>
        public static string RefusalText(FalApiException refusal)
        {
            string fields = refusal.FieldErrors.Count > 0 ? string.Join("; ", refusal.FieldErrors) : refusal.Message;
            return refusal.Retryable switch
            {
                true => fields + " (fal says submitting it again may succeed)",
                false => fields + " (fal says submitting it again will not help)",
                _ => fields,
            };
        }

        /// <summary>
        /// A 502/503/504 left after every retry that fal's ingress or infrastructure sent (FalAnswers), not the model:
        /// the request may still deliver, so it must not be recorded as failed.
        /// </summary>
        private static bool IsGatewayTrouble(FalApiException ex) => !ex.IsStartTimeout && ex.IsGatewayTrouble;

        /// <summary>The error for a request that completed without a track: cancelled, timed out before it started, or failed.</summary>
        public static CassetteException Failure(string requestId, FalStatus? status, FalApiException? result)
        {
            string? errorType = result?.ErrorType ?? status?.ErrorType;
            string detail = status?.Error ?? result?.Message ?? "no detail";
            if (result?.IsStartTimeout == true)
                return new CassetteException(CassetteErrors.StartTimeoutExpired,
                    $"Request {requestId} did not start within -StartTimeoutSec and fal gave up on it: {detail}", requestId, result);
            if (string.Equals(errorType, "client_cancelled", StringComparison.OrdinalIgnoreCase) || (result != null && (int)result.StatusCode == 499))
                return new CassetteException(CassetteErrors.RequestCancelled, $"Request {requestId} was cancelled before it completed.", requestId, result);
            return new CassetteException(CassetteErrors.GenerationFailed,
                $"Request {requestId} failed: {detail}{(errorType is null ? "" : $" ({errorType})")}.", requestId, result);
        }

        /// <summary>The failures that are the request's own final outcome, as opposed to trouble reaching or reading it.</summary>
        public static bool IsFinalOutcome(CassetteException failure) =>
            failure.Error == CassetteErrors.RequestCancelled || failure.Error == CassetteErrors.GenerationFailed
            || failure.Error == CassetteErrors.StartTimeoutExpired || IsModelRefusal(failure);
    }
}
