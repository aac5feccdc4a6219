using System;
using System.Collections.Generic;

namespace Cassette.Journal
{
    /// <summary>
    /// A file's lines from its last to its first, read in blocks from the end, so that the newest entries of a year of
    /// journal cost a few kilobytes instead of the whole file. The file is read through a callback that opens it for one
    /// block at a time: no lock or handle is held while the caller works between lines, so writers are never kept waiting
    /// by a slow reader. Only the bytes that existed when reading started are read (the journal is append-only, so they
    /// never change).
    /// </summary>
    internal static class BackwardLineReader
    {
        /// <summary>Fills buffer[offset..offset+count) with the file's bytes at <c>position</c>; returns the file's length when called with count 0.</summary>
        public delegate long ReadBlock(long position, byte[] buffer, int offset, int count);

        private const int FirstBlockSize = 16 * 1024;
        private const int LargestBlockSize = 1024 * 1024;

        /// <summary>
        /// Each line without its '\n' (a trailing '\r' is left to the JSON parser, which reads it as whitespace); empty
        /// lines are skipped. A segment is valid only until the next one is asked for.
        /// </summary>
        public static IEnumerable<ArraySegment<byte>> Lines(ReadBlock read)
        {
            foreach (var line in PlacedLines(read)) yield return line.Bytes;
        }

        /// <summary>The same lines, each with where it starts in the file and whether a '\n' ends it.</summary>
        public static IEnumerable<Line> PlacedLines(ReadBlock read)
        {
            long length = read(0, Array.Empty<byte>(), 0, 0);
            long position = length;
            byte[] buffer = new byte[(int)Math.Min(FirstBlockSize, Math.Max(position, 1))];
            // buffer[start..end) holds the file's bytes from `position` on that are not yet handed out.
            int start = buffer.Length, end = buffer.Length;
            int blockSize = FirstBlockSize;
            while (true)
            {
                int newline = end > start ? Array.LastIndexOf(buffer, (byte)'\n', end - 1, end - start) : -1;
                if (newline >= 0)
                {
                    if (end - newline - 1 > 0) yield return Place(buffer, newline + 1, end, start, position, length);
                    end = newline;
                    continue;
                }
                if (position == 0)
                {
                    if (end > start)
                    {
                        var first = Place(buffer, start, end, start, position, length);
                        var bytes = WithoutByteOrderMark(first.Bytes);
                        yield return new Line(bytes, first.Position + (bytes.Offset - first.Bytes.Offset), first.Unterminated);
                    }
                    yield break;
                }

                // The bytes left are the end of a line that began earlier: keep them at the buffer's end and read the block before.
                int kept = end - start;
                int wanted = (int)Math.Min(blockSize, position);
                if (kept + wanted > buffer.Length)
                {
                    var larger = new byte[kept + wanted];
                    Buffer.BlockCopy(buffer, start, larger, larger.Length - kept, kept);
                    buffer = larger;
                }
                else if (end != buffer.Length)
                {
                    Buffer.BlockCopy(buffer, start, buffer, buffer.Length - kept, kept);
                }
                end = buffer.Length;
                start = end - kept - wanted;
                position -= wanted;
                read(position, buffer, start, wanted);
                // Long scans (a lookup of an old request) read larger blocks, so they open the file fewer times.
                blockSize = Math.Min(blockSize * 2, LargestBlockSize);
            }
        }

        /// <summary>buffer[from..to) as a line; buffer[start] is the file's byte at <paramref name="position"/>.</summary>
        private static Line Place(byte[] buffer, int from, int to, int start, long position, long length) =>
            new Line(new ArraySegment<byte>(buffer, from, to - from), position + (from - start), unterminated: position + (to - start) == length);

        /// <summary>A line of the file: its bytes, the file position of its first byte, and whether it is the file's unterminated last line.</summary>
        public readonly struct Line
        {
            public Line(ArraySegment<byte> bytes, long position, bool unterminated)
            {
                Bytes = bytes;
                Position = position;
                Unterminated = unterminated;
            }

            public ArraySegment<byte> Bytes { get; }
            public long Position { get; }
            /// <summary>No '\n' follows it: a line a writer is appending right now, or one a crash cut short.</summary>
            public bool Unterminated { get; }
        }

        private static ArraySegment<byte> WithoutByteOrderMark(ArraySegment<byte> line) =>
            line.Count >= 3 && line.Array![line.Offset] == 0xEF && line.Array[line.Offset + 1] == 0xBB && line.Array[line.Offset + 2] == 0xBF
                ? new ArraySegment<byte>(line.Array, line.Offset + 3, line.Count - 3)
                : line;
    }
}
