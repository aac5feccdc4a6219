using System;
using System.Management.Automation;

namespace Cassette
{
    /// <summary>
    /// A failure the module recognised itself (a missing key, a timeout, a failed generation, a refused path), with the
    /// stable ErrorId and the category its error record carries, and the request it concerns when there is one.
    /// </summary>
    public sealed class CassetteException : Exception
    {
        public CassetteException(string errorId, ErrorCategory category, string message, string? requestId = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            RequestId = requestId;
        }

        public string ErrorId { get; }
        public ErrorCategory Category { get; }
        public string? RequestId { get; }
    }
}
