using System;
using System.Net;

namespace Cassette.Protocol
{
    /// <summary>The queue answered with an error: the status code, fal's error_type and detail are kept.</summary>
    internal sealed class FalApiException : Exception
    {
        public FalApiException(string message, HttpStatusCode statusCode, string? errorType, string? body, string? requestId, Exception? inner = null)
            : base(message, inner)
        {
            StatusCode = statusCode;
            ErrorType = errorType;
            Body = body;
            RequestId = requestId;
        }

        public HttpStatusCode StatusCode { get; }
        public string? ErrorType { get; }
        public string? Body { get; }
        public string? RequestId { get; }
    }
}
