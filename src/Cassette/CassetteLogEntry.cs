using System;

namespace Cassette
{
    /// <summary>One line of a request's server log.</summary>
    public sealed class CassetteLogEntry
    {
        public CassetteLogEntry(DateTimeOffset? timestamp, string level, string message, string? requestId)
        {
            Timestamp = timestamp;
            Level = level;
            Message = message;
            RequestId = requestId;
        }

        public DateTimeOffset? Timestamp { get; }
        /// <summary>fal's level: INFO, DEBUG, WARN, ERROR, STDOUT or STDERR.</summary>
        public string Level { get; }
        public string Message { get; }
        public string? RequestId { get; }

        public override string ToString() => $"[{Level}] {Message}";
    }
}
