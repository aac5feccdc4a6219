using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Protocol;

namespace Cassette.Journal
{
    /// <summary>
    /// The local record of every submission: one JSON line per event (submitted, then each final status), appended
    /// under an exclusive file lock so parallel jobs and other pwsh windows can write at once. Never holds the key.
    /// Location: -JournalPath, else CASSETTE_JOURNAL_PATH, else the user's local application data folder.
    /// </summary>
    internal sealed class RequestJournal
    {
        /// <summary>No journal: nothing is recorded and no request is known. For work whose caller keeps no record.</summary>
        public static readonly RequestJournal None = new RequestJournal(null);

        public const string EnvironmentVariable = "CASSETTE_JOURNAL_PATH";
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(15);
        private static readonly object ProcessGate = new object();
        [ThreadStatic] private static Random? _random;

        public RequestJournal(string? path) => Path = path;

        /// <summary>The journal file; null for RequestJournal.None.</summary>
        public string? Path { get; }

        public bool IsNone => Path is null;

        /// <summary>-JournalPath (already resolved through the provider), else CASSETTE_JOURNAL_PATH, else the default.</summary>
        public static RequestJournal Resolve(string? resolvedParameterPath)
        {
            string? path = resolvedParameterPath;
            if (string.IsNullOrWhiteSpace(path)) path = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(path)) path = DefaultPath;
            return new RequestJournal(System.IO.Path.GetFullPath(path!));
        }

        /// <summary>%LOCALAPPDATA%\Cassette\journal.jsonl on Windows, $XDG_DATA_HOME (or ~/.local/share)/Cassette/journal.jsonl elsewhere.</summary>
        public static string DefaultPath
        {
            get
            {
                string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
                if (string.IsNullOrEmpty(root)) root = System.IO.Path.GetTempPath();
                return System.IO.Path.Combine(root, "Cassette", "journal.jsonl");
            }
        }

        /// <summary>
        /// Records a request the queue accepted, flushed to the disk before it returns: it is the one record of money spent,
        /// and the request's id must survive a crash of the machine.
        /// </summary>
        /// <param name="batchItem">The -BatchName item the request was submitted for, so later runs of the batch find it.</param>
        public void RecordSubmission(CassetteRequest job, BatchItemKey? batchItem = null) => RecordSubmissionAsync(job, batchItem).GetAwaiter().GetResult();

        /// <summary>
        /// The same; while another group of lines is being written, it waits without holding its thread. The task ends once
        /// the line is on the disk.
        /// </summary>
        public Task RecordSubmissionAsync(CassetteRequest job, BatchItemKey? batchItem = null) => AppendAsync(flushToDisk: true, writer =>
        {
            writer.WriteString("event", "submitted");
            writer.WriteString("request_id", job.RequestId);
            writer.WriteString("model", job.Model);
            if (job.Prompt != null) writer.WriteString("prompt", job.Prompt);
            if (job.Duration is int duration) writer.WriteNumber("duration", duration);
            if (job.EstimatedCost is decimal cost) writer.WriteNumber("estimated_cost", cost);
            writer.WriteString("queue_url", job.QueueUrl.AbsoluteUri);
            if (job.StatusUrl != null) writer.WriteString("status_url", job.StatusUrl.AbsoluteUri);
            if (job.ResponseUrl != null) writer.WriteString("response_url", job.ResponseUrl.AbsoluteUri);
            if (job.CancelUrl != null) writer.WriteString("cancel_url", job.CancelUrl.AbsoluteUri);
            if (batchItem is BatchItemKey item)
            {
                writer.WriteString("batch", item.Batch);
                writer.WriteNumber("batch_item", item.Occurrence);
            }
            writer.WriteString("at", (job.SubmittedAt ?? DateTimeOffset.UtcNow).ToString("o"));
        });

        /// <summary>
        /// Records a final status (Completed with its audio url, Failed, Cancelled). Written to the file but not waited
        /// onto the disk: the track is handed over without that wait (milliseconds per request, and a queue for the
        /// lock when many complete at once), and should the machine crash before the system writes it, the journal
        /// still has the request's submission, whose outcome Get-CassetteJob -RequestId reads from the queue again.
        /// </summary>
        public void RecordStatus(string requestId, string status, Uri? audioUrl, string? error, string? errorType) =>
            RecordStatusAsync(requestId, status, audioUrl, error, errorType).GetAwaiter().GetResult();

        /// <summary>The same; while another group of lines is being written (a submission's fsync), it waits without holding its thread.</summary>
        public Task RecordStatusAsync(string requestId, string status, Uri? audioUrl, string? error, string? errorType) => AppendAsync(flushToDisk: false, writer =>
        {
            writer.WriteString("event", "status");
            writer.WriteString("request_id", requestId);
            writer.WriteString("status", status);
            if (audioUrl != null) writer.WriteString("audio_url", audioUrl.AbsoluteUri);
            if (error != null) writer.WriteString("error", error);
            if (errorType != null) writer.WriteString("error_type", errorType);
            writer.WriteString("at", DateTimeOffset.UtcNow.ToString("o"));
        });

        /// <summary>
        /// Every request the journal knows, with its last recorded status, newest submission first. A line that cannot be
        /// used (JournalLine says why) is skipped, and told to <paramref name="warning"/> once with its line number; the
        /// lines around it are read as if it were not there.
        /// </summary>
        public IReadOnlyList<CassetteRequest> ReadAll(Action<string>? warning = null) => ReadNewestFirst(warning).ToArray();

        /// <summary>
        /// The same, read lazily from the end of the file: taking the first few reads only the newest lines, whatever the
        /// journal's size, and warns only of the unusable lines it read. A failure to read surfaces while enumerating, as a
        /// JournalUnavailable CassetteException.
        /// </summary>
        public IEnumerable<CassetteRequest> ReadNewestFirst(Action<string>? warning = null)
        {
            if (Path is null || !File.Exists(Path)) return Array.Empty<CassetteRequest>();
            return JournalScan.NewestFirst(BackwardLineReader.PlacedLines(ReadBlock), Skipped(warning)).Select(entry => entry.ToRequest());
        }

        /// <summary>
        /// The requests of a -BatchName batch by item, each with its last recorded status. When an item was submitted more
        /// than once (it failed or was cancelled, and a later run submitted it again), the latest submission stands.
        /// </summary>
        public IReadOnlyDictionary<BatchItemKey, CassetteRequest> ReadBatch(string batch, Action<string>? warning = null)
        {
            var latest = new Dictionary<BatchItemKey, JournalEntry>();
            if (Path is null || !File.Exists(Path)) return new Dictionary<BatchItemKey, CassetteRequest>();
            foreach (var entry in JournalScan.NewestFirst(BackwardLineReader.PlacedLines(ReadBlock), Skipped(warning)))
            {
                if (entry.Batch != batch || !(entry.BatchItem is int occurrence) || entry.Prompt is null || !(entry.Duration is int duration)) continue;
                var key = new BatchItemKey(batch, entry.Model, entry.Prompt, duration, occurrence);
                // Read first from the end means written last, whatever the clocks of the runs said.
                if (!latest.TryGetValue(key, out var known) || entry.ReadOrder < known.ReadOrder) latest[key] = entry;
            }
            return latest.ToDictionary(pair => pair.Key, pair => pair.Value.ToRequest());
        }

        /// <summary>What the journal knows of one request; reads back from the end only as far as its submission.</summary>
        public CassetteRequest? Find(string requestId, Action<string>? warning = null)
        {
            if (Path is null || !File.Exists(Path)) return null;
            return JournalScan.Find(BackwardLineReader.PlacedLines(ReadBlock), requestId, Skipped(warning))?.ToRequest();
        }

        /// <summary>
        /// The warning for a line that cannot be used names its line number, which reading from the end does not know: it
        /// is counted from the start of the file then, a cost only a damaged journal pays.
        /// </summary>
        private JournalScan.SkippedLine? Skipped(Action<string>? warning)
        {
            if (warning is null) return null;
            string path = Path!;
            return (position, problem) => warning($"Line {LineNumberAt(position)} of the journal '{path}' was skipped: {problem}.");
        }

        /// <summary>The number (from 1) of the line that starts at <paramref name="position"/>: the '\n's before it, plus one.</summary>
        private long LineNumberAt(long position)
        {
            var buffer = new byte[64 * 1024];
            long newlines = 0;
            for (long at = 0; at < position;)
            {
                int count = (int)Math.Min(buffer.Length, position - at);
                ReadBlock(at, buffer, 0, count);
                for (int i = 0; i < count; i++)
                    if (buffer[i] == (byte)'\n') newlines++;
                at += count;
            }
            return newlines + 1;
        }

        /// <summary>
        /// One block of the file (or, with count 0, its length), each under the lock readers share: the file is open only
        /// for the block, so a reader that goes slowly never keeps a writer out.
        /// </summary>
        private long ReadBlock(long position, byte[] buffer, int offset, int count)
        {
            string path = Path!;
            return WithLock(() =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
                if (count == 0) return stream.Length;
                stream.Position = position;
                for (int done = 0; done < count;)
                {
                    int read = stream.Read(buffer, offset + done, count - done);
                    if (read == 0)
                        throw new CassetteException(CassetteErrors.JournalUnavailable,
                            $"The journal '{path}' became shorter while it was read: it was cleared (Clear-CassetteJournal) or edited meanwhile.");
                    done += read;
                }
                return stream.Length;
            }, readOnly: true);
        }

        /// <summary>
        /// Removes every line of the given requests, under the same exclusive lock as the writers, and returns how many
        /// lines went. The rest is written to a file beside the journal first and then renamed over it, so a crash leaves
        /// one whole journal or the other; where the open journal cannot be renamed over (Windows) it is rewritten in
        /// place from that copy, which is deleted only afterwards.
        /// </summary>
        public int Remove(ISet<string> requestIds)
        {
            if (Path is null || !File.Exists(Path)) return 0;
            string path = Path;
            return WithLock(() =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                string text;
                using (var reader = new StreamReader(stream, Encoding.UTF8, false, 4096, leaveOpen: true)) text = reader.ReadToEnd();
                var kept = new StringBuilder(text.Length);
                int removed = 0;
                foreach (string line in text.Split('\n'))
                {
                    if (line.Length == 0) continue;
                    if (RequestIdOf(line) is string id && requestIds.Contains(id))
                    {
                        removed++;
                        continue;
                    }
                    kept.Append(line).Append('\n');
                }
                if (removed == 0) return 0;
                byte[] bytes = new UTF8Encoding(false).GetBytes(kept.ToString());
                string copy = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                try
                {
                    using (var file = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    {
                        file.Write(bytes, 0, bytes.Length);
                        file.Flush(flushToDisk: true);
                    }
                    try
                    {
                        File.Replace(copy, path, null);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is PlatformNotSupportedException)
                    {
                        stream.SetLength(0);
                        stream.Write(bytes, 0, bytes.Length);
                        stream.Flush(flushToDisk: true);
                    }
                    return removed;
                }
                finally
                {
                    if (File.Exists(copy)) File.Delete(copy);
                }
            }, readOnly: false);
        }

        private static string? RequestIdOf(string line)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                return FalJson.String(document.RootElement, "request_id");
            }
            catch (JsonException)
            {
                return null;
            }
        }


        private Task AppendAsync(bool flushToDisk, Action<Utf8JsonWriter> write)
        {
            if (Path is null) return Task.CompletedTask;
            string path = Path;
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("v", 1);
                write(writer);
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            byte[] line = buffer.ToArray();
            return GroupCommit.For(path).AppendAsync(line, flushToDisk, (lines, durable) => WithLock(() =>
            {
                // FileShare.None is an exclusive lock on every platform (flock on Unix): one writer at a time, across processes.
                string? folder = System.IO.Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
                using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                if (stream.Length > 0)
                {
                    stream.Seek(-1, SeekOrigin.End);
                    // A previous writer that died mid-line must not glue its fragment to this record.
                    if (stream.ReadByte() != '\n') stream.WriteByte((byte)'\n');
                }
                stream.Seek(0, SeekOrigin.End);
                foreach (byte[] each in lines) stream.Write(each, 0, each.Length);
                stream.Flush(durable);
                return true;
            }, readOnly: false));
        }

        /// <summary>
        /// Retries while another writer holds the file; gives up after a generous deadline. Only that is retried: a full
        /// disk, a read-only file system or a refused permission will not change in 15 s, and each submission would
        /// wait that long for nothing. Whatever the file system says in the end is a JournalUnavailable failure, with its
        /// own exception inside.
        /// </summary>
        private T WithLock<T>(Func<T> action, bool readOnly)
        {
            var deadline = DateTime.UtcNow + LockTimeout;
            while (true)
            {
                try
                {
                    lock (ProcessGate) return action();
                }
                catch (IOException ex) when (JournalLock.IsHeldByAnother(ex) && DateTime.UtcNow < deadline)
                {
                    _random ??= new Random(Guid.NewGuid().GetHashCode());
                    Thread.Sleep(_random.Next(5, readOnly ? 15 : 30));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException)
                {
                    throw new CassetteException(CassetteErrors.JournalUnavailable,
                        $"The journal '{Path}' could not be {(readOnly ? "read" : "written")}: {ex.Message}", null, ex);
                }
            }
        }
    }
}
