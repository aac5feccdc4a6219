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
            catch (FalApiException ex) when (completed.HasError || ((int)ex.StatusCode >= 499 && !IsGatewayTrouble(ex)))
            {
                throw Failure(request.RequestId, completed, ex);
            }
            using (result)
            {
                if (completed.HasError) throw Failure(request.RequestId, completed, null);
                return RequestSnapshots.Track(request, TrackResult.Parse(result.RootElement, request.RequestId), completed);
            }
        }

        /// <summary>
        /// A 502/503/504 left after every retry, for a request whose status reported no error, is the gateway's trouble,
        /// not the generation's: the request may still deliver, so it must not be recorded as failed.
        /// </summary>
        private static bool IsGatewayTrouble(FalApiException ex) =>
            !ex.IsStartTimeout && ((int)ex.StatusCode == 502 || (int)ex.StatusCode == 503 || (int)ex.StatusCode == 504);

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
            || failure.Error == CassetteErrors.StartTimeoutExpired;
    }
}
