using System;
using System.Management.Automation;

namespace Cassette
{
    /// <summary>
    /// Every failure the module raises: an entry of the error catalogue (CassetteErrors), the message, the request it
    /// concerns once there is one, and the failure underneath (an HttpRequestException, SocketException, IOException...)
    /// as the inner exception. `catch [Cassette.CassetteException]` catches them all.
    /// </summary>
    public class CassetteException : Exception
    {
        public CassetteException(CassetteError error, string message, string? requestId = null, Exception? inner = null)
            : base(message, inner)
        {
            Error = error ?? throw new ArgumentNullException(nameof(error));
            RequestId = requestId;
        }

        /// <summary>The catalogue entry.</summary>
        public CassetteError Error { get; }
        public string ErrorId => Error.Id;
        public ErrorCategory Category => Error.Category;
        public string? RequestId { get; }
    }
}
