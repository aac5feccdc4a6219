using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;

namespace Cassette.Errors
{
    /// <summary>
    /// The one mapping from a failure to an error record: a stable ErrorId, the right category, the request as target,
    /// the exception kept whole (with its inner exceptions), and the server's own words in ErrorDetails.
    /// The ErrorIds are documented in about_Cassette and docs/module.md; scripts may rely on them.
    /// </summary>
    internal static class ErrorMapper
    {
        public static ErrorRecord ToRecord(Exception exception, object? target)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1) exception = aggregate.InnerExceptions[0];
            var (id, category, action) = Classify(exception);
            var record = new ErrorRecord(exception, id, category, target);
            if (exception is FalApiException api)
            {
                string message = api.FieldErrors.Count > 0
                    ? "The server rejected the input: " + string.Join("; ", api.FieldErrors.Select(f => f.ToString()))
                    : api.Message;
                if (api.RequestId != null && message.IndexOf(api.RequestId, StringComparison.Ordinal) < 0) message += $" (request {api.RequestId})";
                record.ErrorDetails = new ErrorDetails(message);
            }
            string? requestId = RequestIdOf(target);
            if (requestId != null && Recoverable.Contains(id))
            {
                // The request was paid for and may still deliver: say which one, and how to finish it later.
                string message = record.ErrorDetails?.Message ?? exception.Message;
                if (message.IndexOf(requestId, StringComparison.Ordinal) < 0) message += $" (request {requestId})";
                record.ErrorDetails = new ErrorDetails(message);
                action = (action is null ? "" : action + " ") + $"Request {requestId} is kept in the journal; finish it later with: Get-CassetteJob -RequestId {requestId} -Wait | Save-CassetteAudio " +
                    "(add -QueueUrl when the queue has moved).";
            }
            if (action != null)
            {
                record.ErrorDetails ??= new ErrorDetails(exception.Message);
                record.ErrorDetails.RecommendedAction = action;
            }
            return record;
        }

        /// <summary>Failures after which the request itself may still be fine: the transport or the answer broke, not the generation.</summary>
        private static readonly System.Collections.Generic.HashSet<string> Recoverable = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal)
        {
            "ConnectionFailed", "QueueUnavailable", "RateLimited", "ServerError", "InvalidResponse",
            "DownloadFailed", "DownloadStalled", "DownloadIncomplete", "InvalidAudio",
        };

        private static string? RequestIdOf(object? target) => target switch
        {
            CassetteJob job => job.RequestId,
            CassetteTrack track => track.RequestId,
            _ => null,
        };

        private static (string Id, ErrorCategory Category, string? Action) Classify(Exception exception)
        {
            switch (exception)
            {
                case CassetteException cassette:
                    return (cassette.ErrorId, cassette.Category, cassette.RequestId is null ? null : $"Get-CassetteJob -RequestId {cassette.RequestId}");
                case FalApiException api:
                    return Classify(api);
                case HttpRequestException _:
                    return ("ConnectionFailed", ErrorCategory.ConnectionError, "Check -QueueUrl and the network; -MaxRetryCount sets how often transient failures are retried.");
                case TimeoutException _:
                    return ("Timeout", ErrorCategory.OperationTimeout, null);
                case InvalidDataException _:
                    return ("InvalidAudio", ErrorCategory.InvalidData, null);
                case UnauthorizedAccessException _:
                    return ("AccessDenied", ErrorCategory.PermissionDenied, null);
                case IOException _:
                    return ("FileError", ErrorCategory.WriteError, null);
                case ArgumentException _:
                    return ("InvalidArgument", ErrorCategory.InvalidArgument, null);
                default:
                    return ("UnexpectedError", ErrorCategory.NotSpecified, null);
            }
        }

        private static (string, ErrorCategory, string?) Classify(FalApiException api)
        {
            int code = (int)api.StatusCode;
            if (api.FieldErrors.Count > 0 || code == 422)
                return ("ValidationFailed", ErrorCategory.InvalidArgument, string.Join(" ", api.FieldErrors.Select(f => $"Check -{f.ParameterName}.").Distinct()));
            if (code == 401 || code == 403)
                return ("Unauthorized", ErrorCategory.AuthenticationError,
                    "Pass a valid key with -ApiKey, or set the FAL_KEY environment variable (or FAL_KEY_ID and FAL_KEY_SECRET).");
            if (code == 404)
                return api.RequestId != null
                    ? ("RequestNotFound", ErrorCategory.ObjectNotFound, "fal keeps results for a limited time; check the request id, -Model and -QueueUrl.")
                    : ("ModelNotFound", ErrorCategory.ObjectNotFound, "Check -Model and -QueueUrl.");
            if (code == 429) return ("RateLimited", ErrorCategory.LimitsExceeded, "Wait and try again, or raise -MaxRetryCount.");
            if (api.IsStartTimeout) return ("StartTimeoutExpired", ErrorCategory.OperationTimeout, "Raise -StartTimeoutSec or try again later.");
            if (code == 408 || code == 502 || code == 503 || code == 504)
                return ("QueueUnavailable", ErrorCategory.ResourceUnavailable, "Try again later, or raise -MaxRetryCount.");
            if (code >= 200 && code < 300) return ("InvalidResponse", ErrorCategory.ProtocolError, null);
            if (code >= 500) return ("ServerError", ErrorCategory.InvalidResult, null);
            return ("RequestRejected", ErrorCategory.InvalidOperation, null);
        }
    }
}
