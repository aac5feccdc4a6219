using System;
using System.IO;

namespace Cassette.Http
{
    /// <summary>
    /// Sits between a server-sent-event stream and SseParser, which buffers a line, and an event's data lines, without
    /// limit: a hostile or broken server could send one endless line and the parser would keep it all in memory. This
    /// counts the bytes of the event being read (from one blank line to the next) and throws
    /// <see cref="EventTooLargeException"/> once one exceeds the cap, having read at most <see cref="MaxRead"/> bytes past it.
    /// The stream as a whole may be any length: only a single event is capped.
    /// </summary>
    internal sealed class EventSizeGuardStream : ReadOnlyWrapperStream
    {
        // The parser asks for as much as its buffer has room for, which doubles as a line grows.
        private const int MaxRead = 64 * 1024;
        private readonly int _maxEventBytes;
        private long _eventBytes;
        private bool _lineEmpty = true;
        private bool _afterCarriageReturn;

        public EventSizeGuardStream(Stream inner, int maxEventBytes)
            : base(inner)
        {
            _maxEventBytes = maxEventBytes;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = Inner.Read(buffer, offset, Math.Min(count, MaxRead));
            for (int i = offset; i < offset + read; i++) Count(buffer[i]);
            return read;
        }

        /// <summary>SSE ends a line with CR, LF or CRLF, and an event with an empty line; every other byte is the event's.</summary>
        private void Count(byte b)
        {
            bool lineEnd = b == (byte)'\r' || (b == (byte)'\n' && !_afterCarriageReturn);
            _afterCarriageReturn = b == (byte)'\r';
            if (lineEnd && _lineEmpty)
            {
                _eventBytes = 0;
                return;
            }
            _lineEmpty = lineEnd || (b == (byte)'\n' && _lineEmpty);
            if (++_eventBytes > _maxEventBytes) throw new EventTooLargeException(_maxEventBytes);
        }
    }
}
