using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Cassette.Errors
{
    /// <summary>
    /// The one mapping from a failure to an error record, from the catalogue: the entry's ErrorId and category, the
    /// request as target, the exception kept whole (with its inner exceptions), the server's own words in ErrorDetails
    /// and a recommended action. Anything that is not a CassetteException is a bug, reported as UnexpectedError.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <summary>Failures after which the request itself may still be fine: the transport or the answer broke, not the generation.</summary>
        private static readonly HashSet<CassetteError> Recoverable = new HashSet<CassetteError>
        {
            CassetteErrors.ConnectionFailed, CassetteErrors.QueueUnavailable, CassetteErrors.RateLimited, CassetteErrors.ServerError,
            CassetteErrors.InvalidResponse, CassetteErrors.DownloadFailed, CassetteErrors.DownloadStalled, CassetteErrors.DownloadIncomplete,
            CassetteErrors.InvalidAudio,
        };

        public static ErrorRecord From(Exception exception, object? target)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1) exception = aggregate.InnerExceptions[0];
            var failure = exception as CassetteException ?? Unexpected(exception);
            var error = failure.Error;
            var record = new ErrorRecord(failure, error.Id, error.Category, target);
            string? action = error.RecommendedAction;
            if (failure is FalApiException api)
            {
                string message = api.FieldErrors.Count > 0
                    ? "The server rejected the input: " + string.Join("; ", api.FieldErrors.Select(f => f.ToString()))
                    : api.Message;
                if (api.RequestId != null && message.IndexOf(api.RequestId, StringComparison.Ordinal) < 0) message += $" (request {api.RequestId})";
                record.ErrorDetails = new ErrorDetails(message);
                if (api.FieldErrors.Count > 0) action = string.Join(" ", api.FieldErrors.Select(f => $"Check -{f.ParameterName}.").Distinct());
            }
            else if (action is null && failure.RequestId != null)
            {
                action = $"Get-CassetteJob -RequestId {failure.RequestId}";
            }
            string? requestId = RequestIdOf(target);
            if (requestId != null && Recoverable.Contains(error))
            {
                // The request was paid for and may still deliver: say which one, and how to finish it later.
                string message = record.ErrorDetails?.Message ?? failure.Message;
                if (message.IndexOf(requestId, StringComparison.Ordinal) < 0) message += $" (request {requestId})";
                record.ErrorDetails = new ErrorDetails(message);
                action = (action is null ? "" : action + " ") + $"Request {requestId} is kept in the journal; finish it later with: " +
                    $"Get-CassetteJob -RequestId {requestId} -Wait | Save-CassetteAudio (add -QueueUrl when the queue has moved).";
            }
            if (!string.IsNullOrEmpty(action))
            {
                record.ErrorDetails ??= new ErrorDetails(failure.Message);
                record.ErrorDetails.RecommendedAction = action;
            }
            return record;
        }

        /// <summary>A failure no boundary recognised: a bug, kept whole inside so that its report says where it came from.</summary>
        private static CassetteException Unexpected(Exception exception) =>
            new CassetteException(CassetteErrors.UnexpectedError,
                $"Cassette failed unexpectedly ({exception.GetType().FullName}: {exception.Message}). {CassetteErrors.UnexpectedError.RecommendedAction}",
                null, exception);

        private static string? RequestIdOf(object? target) => target switch
        {
            CassetteRequest request => request.RequestId,
            CassetteTrack track => track.RequestId,
            _ => null,
        };
    }
}
