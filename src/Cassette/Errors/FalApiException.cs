using System;
using System.Collections.Generic;
using System.Net;

namespace Cassette
{
    /// <summary>The queue answered with an error: the status code, fal's error_type, its detail and any field errors are kept.</summary>
    public sealed class FalApiException : Exception
    {
        public FalApiException(string message, HttpStatusCode statusCode, string? errorType, string? body, string? requestId,
            Exception? inner = null, IReadOnlyList<FalFieldError>? fieldErrors = null, bool userStartTimeout = false)
            : base(message, inner)
        {
            StatusCode = statusCode;
            ErrorType = errorType;
            Body = body;
            RequestId = requestId;
            FieldErrors = fieldErrors ?? Array.Empty<FalFieldError>();
            IsStartTimeout = userStartTimeout;
        }

        public HttpStatusCode StatusCode { get; }
        /// <summary>fal's error_type (body or X-Fal-Error-Type header), e.g. runner_scheduling_failure or client_cancelled.</summary>
        public string? ErrorType { get; }
        /// <summary>The response body, cut to 2000 characters.</summary>
        public string? Body { get; }
        public string? RequestId { get; }
        /// <summary>A 422's field errors, one per field the server rejected.</summary>
        public IReadOnlyList<FalFieldError> FieldErrors { get; }
        /// <summary>A 504 carrying X-Fal-Request-Timeout-Type: user: the request did not start within -StartTimeoutSec.</summary>
        public bool IsStartTimeout { get; }
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
