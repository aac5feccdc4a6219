using System.IO;

namespace Cassette.Http
{
    /// <summary>A server-sent event longer than the cap; the status stream reports it as InvalidResponse.</summary>
    internal sealed class EventTooLargeException : IOException
    {
        public EventTooLargeException(int maxEventBytes)
            : base($"The status stream sent an event larger than the {maxEventBytes / (1024 * 1024)} MB a queue answer may have; fal's events are a few kilobytes, so it was not read.")
        {
        }
    }
}
