using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
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

        /// <param name="batchItem">The -BatchName item the request was submitted for, so later runs of the batch find it.</param>
        public void RecordSubmission(CassetteRequest job, BatchItemKey? batchItem = null) => Append(writer =>
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

        /// <summary>Records a final status (Completed with its audio url, Failed, Cancelled).</summary>
        public void RecordStatus(string requestId, string status, Uri? audioUrl, string? error, string? errorType) => Append(writer =>
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
        public IReadOnlyList<CassetteRequest> ReadAll(Action<string>? warning = null) =>
            ReadEntries(warning).OrderByDescending(e => e.SubmittedAt ?? DateTimeOffset.MinValue).Select(e => e.ToRequest()).ToArray();

        /// <summary>
        /// The requests of a -BatchName batch by item, each with its last recorded status. When an item was submitted more
        /// than once (it failed or was cancelled, and a later run submitted it again), the latest submission stands.
        /// </summary>
        public IReadOnlyDictionary<BatchItemKey, CassetteRequest> ReadBatch(string batch, Action<string>? warning = null)
        {
            var items = new Dictionary<BatchItemKey, CassetteRequest>();
            foreach (var entry in ReadEntries(warning))
            {
                if (entry.Batch != batch || !(entry.BatchItem is int occurrence) || entry.Prompt is null || !(entry.Duration is int duration)) continue;
                items[new BatchItemKey(batch, entry.Model, entry.Prompt, duration, occurrence)] = entry.ToRequest();
            }
            return items;
        }

        /// <summary>Every request the journal knows, in the order of their first submission line.</summary>
        private IReadOnlyList<Entry> ReadEntries(Action<string>? warning)
        {
            if (Path is null || !File.Exists(Path)) return Array.Empty<Entry>();
            string path = Path;
            string text = WithLock(() =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return reader.ReadToEnd();
            }, readOnly: true);
            var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
            var order = new List<Entry>();
            string[] lines = text.Split('\n');
            for (int number = 1; number <= lines.Length; number++)
            {
                string raw = lines[number - 1];
                if (string.IsNullOrWhiteSpace(raw)) continue;
                var line = JournalLine.Parse(raw, out string? problem);
                if (line is null)
                {
                    // The last line may be one a writer is appending right now, or one a crash cut short: not worth a warning.
                    bool tornTail = number == lines.Length && !text.EndsWith("\n", StringComparison.Ordinal);
                    if (problem != null && !tornTail) warning?.Invoke($"Line {number} of the journal '{path}' was skipped: {problem}.");
                    continue;
                }
                if (line.Event == JournalLine.Submitted)
                {
                    var entry = new Entry(line.RequestId, line.Model, line.Prompt, line.Duration, line.EstimatedCost, line.QueueUrl!, line.At,
                        line.StatusUrl, line.ResponseUrl, line.CancelUrl)
                    {
                        Batch = line.Batch,
                        BatchItem = line.BatchItem,
                    };
                    if (!entries.ContainsKey(line.RequestId)) order.Add(entry);
                    entries[line.RequestId] = entry;
                }
                else if (entries.TryGetValue(line.RequestId, out var known))
                {
                    known.Status = line.Status ?? known.Status;
                    known.UpdatedAt = line.At ?? known.UpdatedAt;
                    known.AudioUrl = line.AudioUrl ?? known.AudioUrl;
                    known.Error = line.Error;
                    known.ErrorType = line.ErrorType;
                }
            }
            return order.Select(e => entries[e.RequestId]).ToArray();
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

        public CassetteRequest? Find(string requestId, Action<string>? warning = null) =>
            ReadAll(warning).FirstOrDefault(j => string.Equals(j.RequestId, requestId, StringComparison.Ordinal));

        private void Append(Action<Utf8JsonWriter> write)
        {
            if (Path is null) return;
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
            WithLock(() =>
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
                stream.Write(line, 0, line.Length);
                stream.Flush(flushToDisk: true);
                return true;
            }, readOnly: false);
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

        private sealed class Entry
        {
            public Entry(string requestId, string model, string? prompt, int? duration, decimal? cost, Uri queueUrl, DateTimeOffset? submittedAt,
                Uri? statusUrl, Uri? responseUrl, Uri? cancelUrl)
            {
                RequestId = requestId;
                Model = model;
                Prompt = prompt;
                Duration = duration;
                Cost = cost;
                QueueUrl = queueUrl;
                SubmittedAt = submittedAt;
                UpdatedAt = submittedAt;
                StatusUrl = statusUrl;
                ResponseUrl = responseUrl;
                CancelUrl = cancelUrl;
            }

            public string RequestId { get; }
            public string Model { get; }
            public string? Prompt { get; }
            public int? Duration { get; }
            public decimal? Cost { get; }
            public Uri QueueUrl { get; }
            public DateTimeOffset? SubmittedAt { get; }
            public Uri? StatusUrl { get; }
            public Uri? ResponseUrl { get; }
            public Uri? CancelUrl { get; }
            public string Status { get; set; } = CassetteRequest.InQueue;
            public DateTimeOffset? UpdatedAt { get; set; }
            public Uri? AudioUrl { get; set; }
            public string? Error { get; set; }
            public string? ErrorType { get; set; }
            /// <summary>The -BatchName and the item's place among identical items, when it was submitted for a batch.</summary>
            public string? Batch { get; set; }
            public int? BatchItem { get; set; }

            public CassetteRequest ToRequest()
            {
                CassetteTrack? track = Status == CassetteRequest.Completed && AudioUrl != null
                    ? new CassetteTrack(requestId: RequestId, model: Model, prompt: Prompt ?? string.Empty, duration: Duration ?? 0, audioUrl: AudioUrl,
                        contentType: null, fileName: null, fileSize: null, inferenceTime: null, estimatedCost: Cost, queueUrl: QueueUrl)
                    : null;
                return new CassetteRequest(RequestId, Model, QueueUrl, status: Status, prompt: Prompt, duration: Duration, estimatedCost: Cost,
                    submittedAt: SubmittedAt, updatedAt: UpdatedAt ?? DateTimeOffset.MinValue, error: Error, errorType: ErrorType, track: track,
                    statusUrl: StatusUrl, responseUrl: ResponseUrl, cancelUrl: CancelUrl);
            }
        }
    }
}
