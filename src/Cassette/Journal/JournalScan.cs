using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Cassette.Journal
{
    /// <summary>
    /// The journal's questions, answered from its lines read last to first (BackwardLineReader): the entries newest
    /// first, lazily, so that -First 20 reads only the end of the file; and one request by id, which stops at that
    /// request's submission line. Both give what a read of the whole file would: a request is its last submission line
    /// with the status lines written after it, oldest to newest.
    /// </summary>
    internal static class JournalScan
    {
        /// <summary>
        /// How far out of submission order the journal's lines may be. Lines are appended in the order writers get the
        /// file's lock, a few milliseconds after the submission they record (at most the 15 s lock timeout); so once a
        /// submission older than T was read, nothing still unread was submitted after T + this window, and every entry
        /// newer than that can be handed out in submission order.
        /// </summary>
        public static readonly TimeSpan OrderWindow = TimeSpan.FromMinutes(5);

        /// <summary>Tells where a line that cannot be used starts in the file, and why it cannot be used.</summary>
        public delegate void SkippedLine(long position, string problem);

        /// <summary>Every request, newest submission first (ties: the one written first), then those without a submission time.</summary>
        public static IEnumerable<JournalEntry> NewestFirst(IEnumerable<ArraySegment<byte>> linesBackward) =>
            NewestFirst(Unplaced(linesBackward), skipped: null);

        /// <summary>
        /// The same, telling <paramref name="skipped"/> of each line read that cannot be used; not of an unterminated last
        /// line, which a writer may be appending right now or a crash cut short.
        /// </summary>
        public static IEnumerable<JournalEntry> NewestFirst(IEnumerable<BackwardLineReader.Line> linesBackward, SkippedLine? skipped)
        {
            // Status lines read before their submission line, i.e. written after it.
            var laterStatuses = new Dictionary<string, List<JournalLine>>(StringComparer.Ordinal);
            // Requests whose (last) submission was read: older lines about them predate it and no longer count.
            var known = new HashSet<string>(StringComparer.Ordinal);
            var waiting = new SortedSet<JournalEntry>(NewerFirst.Instance);
            var undated = new List<JournalEntry>();
            DateTimeOffset? oldestRead = null;
            long readOrder = 0;
            foreach (var placed in linesBackward)
            {
                var line = Parse(placed, skipped);
                if (line is null || known.Contains(line.RequestId)) continue;
                if (!line.IsSubmission)
                {
                    if (!laterStatuses.TryGetValue(line.RequestId, out var statuses)) laterStatuses[line.RequestId] = statuses = new List<JournalLine>(1);
                    statuses.Add(line);
                    continue;
                }
                known.Add(line.RequestId);
                laterStatuses.TryGetValue(line.RequestId, out var later);
                laterStatuses.Remove(line.RequestId);
                var entry = new JournalEntry(line, later, readOrder++);
                if (!(entry.SubmittedAt is DateTimeOffset at))
                {
                    undated.Add(entry);
                    continue;
                }
                waiting.Add(entry);
                if (oldestRead is null || at < oldestRead) oldestRead = at;
                var settled = oldestRead.Value + OrderWindow;
                while (waiting.Count > 0 && waiting.Min!.SubmittedAt > settled)
                {
                    var newest = waiting.Min;
                    waiting.Remove(newest);
                    yield return newest;
                }
            }
            foreach (var entry in waiting) yield return entry;
            for (int i = undated.Count - 1; i >= 0; i--) yield return undated[i];
        }

        /// <summary>
        /// One request, or null. Only lines that contain its id (as the journal's writer escapes it) are parsed, and the
        /// scan ends at its submission line, so a recent request costs the end of the file only.
        /// </summary>
        public static JournalEntry? Find(IEnumerable<ArraySegment<byte>> linesBackward, string requestId) =>
            Find(Unplaced(linesBackward), requestId, skipped: null);

        /// <summary>The same, telling <paramref name="skipped"/> of each line it parsed (those with the id) that cannot be used.</summary>
        public static JournalEntry? Find(IEnumerable<BackwardLineReader.Line> linesBackward, string requestId, SkippedLine? skipped)
        {
            byte[] id = JsonEncodedText.Encode(requestId).EncodedUtf8Bytes.ToArray();
            List<JournalLine>? later = null;
            foreach (var placed in linesBackward)
            {
                if (placed.Bytes.AsSpan().IndexOf(id) < 0) continue;
                var line = Parse(placed, skipped);
                if (line is null || !string.Equals(line.RequestId, requestId, StringComparison.Ordinal)) continue;
                if (line.IsSubmission) return new JournalEntry(line, later, 0);
                (later ??= new List<JournalLine>(1)).Add(line);
            }
            return null;
        }

        private static JournalLine? Parse(BackwardLineReader.Line placed, SkippedLine? skipped)
        {
            var line = JournalLine.Parse(placed.Bytes, out string? problem);
            if (line is null && problem != null && !placed.Unterminated) skipped?.Invoke(placed.Position, problem);
            return line;
        }

        /// <summary>Lines whose place in the file is not known (tests that read from memory); none counts as unterminated.</summary>
        private static IEnumerable<BackwardLineReader.Line> Unplaced(IEnumerable<ArraySegment<byte>> lines)
        {
            foreach (var bytes in lines) yield return new BackwardLineReader.Line(bytes, -1, unterminated: false);
        }

        /// <summary>Newest submission first; on equal times the one read later (written earlier) first, as a stable sort of the file would.</summary>
        private sealed class NewerFirst : IComparer<JournalEntry>
        {
            public static readonly NewerFirst Instance = new NewerFirst();

            public int Compare(JournalEntry? x, JournalEntry? y)
            {
                int byTime = Nullable.Compare(y!.SubmittedAt, x!.SubmittedAt);
                return byTime != 0 ? byTime : y.ReadOrder.CompareTo(x.ReadOrder);
            }
        }
    }
}
