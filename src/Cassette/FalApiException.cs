using System;
using System.Collections.Generic;
using System.Net;

namespace Cassette
{
    /// <summary>
    /// The queue answered with an error, or with something fal never sends: the status code, fal's error_type, its
    /// detail and any field errors are kept. The catalogue entry follows from the answer (see ErrorFor).
    /// </summary>
    public sealed class FalApiException : CassetteException
    {
        public FalApiException(string message, HttpStatusCode statusCode, string? errorType, string? body, string? requestId,
            Exception? inner = null, IReadOnlyList<FalFieldError>? fieldErrors = null, bool userStartTimeout = false)
            : base(ErrorFor(statusCode, requestId, fieldErrors?.Count ?? 0, userStartTimeout), message, requestId, inner)
        {
            StatusCode = statusCode;
            ErrorType = errorType;
            Body = body;
            FieldErrors = fieldErrors ?? Array.Empty<FalFieldError>();
            IsStartTimeout = userStartTimeout;
        }

        public HttpStatusCode StatusCode { get; }
        /// <summary>fal's error_type (body or X-Fal-Error-Type header), e.g. runner_scheduling_failure or client_cancelled.</summary>
        public string? ErrorType { get; }
        /// <summary>The response body, cut to 2000 characters.</summary>
        public string? Body { get; }
        /// <summary>A 422's field errors, one per field the server rejected.</summary>
        public IReadOnlyList<FalFieldError> FieldErrors { get; }
        /// <summary>A 504 carrying X-Fal-Request-Timeout-Type: user: the request did not start within -StartTimeoutSec.</summary>
        public bool IsStartTimeout { get; }

        /// <summary>The catalogue entry for an answer: a 2xx here is an answer fal would not send.</summary>
        private static CassetteError ErrorFor(HttpStatusCode statusCode, string? requestId, int fieldErrors, bool startTimeout)
        {
            int code = (int)statusCode;
            if (fieldErrors > 0 || code == 422) return CassetteErrors.ValidationFailed;
            if (code == 401 || code == 403) return CassetteErrors.Unauthorized;
            if (code == 404) return requestId != null ? CassetteErrors.RequestNotFound : CassetteErrors.ModelNotFound;
            if (code == 429) return CassetteErrors.RateLimited;
            if (startTimeout) return CassetteErrors.StartTimeoutExpired;
            if (code == 408 || code == 502 || code == 503 || code == 504) return CassetteErrors.QueueUnavailable;
            if (code >= 200 && code < 300) return CassetteErrors.InvalidResponse;
            if (code >= 500) return CassetteErrors.ServerError;
            return CassetteErrors.RequestRejected;
        }
    }

    /// <summary>One entry of a 422's pydantic "detail" list, with the cmdlet parameter it concerns.</summary>
    public sealed class FalFieldError
    {
        public FalFieldError(string field, string message, string? type, string? input)
        {
            Field = field;
            Message = message;
            Type = type;
            Input = input;
        }

        /// <summary>The model input's field name, e.g. duration.</summary>
        public string Field { get; }
        public string Message { get; }
        public string? Type { get; }
        /// <summary>The rejected value as JSON text.</summary>
        public string? Input { get; }

        /// <summary>The cmdlet parameter that carries the field: duration → Duration, prompt → Prompt.</summary>
        public string ParameterName
        {
            get
            {
                var parts = Field.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries);
                for (int i = 0; i < parts.Length; i++)
                    parts[i] = char.ToUpperInvariant(parts[i][0]) + parts[i].Substring(1);
                return string.Concat(parts);
            }
        }

        public override string ToString() => $"-{ParameterName}: {Message}";
    }
}
