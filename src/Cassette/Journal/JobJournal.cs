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
    internal sealed class JobJournal
    {
        public const string EnvironmentVariable = "CASSETTE_JOURNAL_PATH";
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(15);
        private static readonly object ProcessGate = new object();
        [ThreadStatic] private static Random? _random;

        public JobJournal(string path) => Path = path;

        public string Path { get; }

        /// <summary>-JournalPath (already resolved through the provider), else CASSETTE_JOURNAL_PATH, else the default.</summary>
        public static JobJournal Resolve(string? resolvedParameterPath)
        {
            string? path = resolvedParameterPath;
            if (string.IsNullOrWhiteSpace(path)) path = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(path)) path = DefaultPath;
            return new JobJournal(System.IO.Path.GetFullPath(path!));
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

        public void RecordSubmission(CassetteJob job) => Append(writer =>
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

        /// <summary>Every request the journal knows, with its last recorded status, newest submission first.</summary>
        public IReadOnlyList<CassetteJob> ReadAll()
        {
            if (!File.Exists(Path)) return Array.Empty<CassetteJob>();
            string text = WithLock(() =>
            {
                using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return reader.ReadToEnd();
            }, readOnly: true);
            var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
            var order = new List<Entry>();
            foreach (string line in text.Split('\n'))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    var root = document.RootElement;
                    string? id = FalJson.String(root, "request_id");
                    if (id is null) continue;
                    string? kind = FalJson.String(root, "event");
                    if (kind == "submitted")
                    {
                        if (!Uri.TryCreate(FalJson.String(root, "queue_url"), UriKind.Absolute, out var queueUrl)) continue;
                        var entry = new Entry(id, FalJson.String(root, "model") ?? FalModelId.MusicGenerator, FalJson.String(root, "prompt"),
                            FalJson.Int64(root, "duration") is long d ? (int)d : (int?)null,
                            root.TryGetProperty("estimated_cost", out var cost) && cost.ValueKind == JsonValueKind.Number ? cost.GetDecimal() : (decimal?)null,
                            queueUrl, Time(root), FalJson.AbsoluteUri(root, "status_url"), FalJson.AbsoluteUri(root, "response_url"), FalJson.AbsoluteUri(root, "cancel_url"));
                        if (!entries.ContainsKey(id)) order.Add(entry);
                        entries[id] = entry;
                    }
                    else if (kind == "status" && entries.TryGetValue(id, out var known))
                    {
                        known.Status = FalJson.String(root, "status") ?? known.Status;
                        known.UpdatedAt = Time(root) ?? known.UpdatedAt;
                        known.AudioUrl = FalJson.AbsoluteUri(root, "audio_url") ?? known.AudioUrl;
                        known.Error = FalJson.String(root, "error");
                        known.ErrorType = FalJson.String(root, "error_type");
                    }
                }
                catch (JsonException)
                {
                    // A line cut short by a crash: the lines around it are still good.
                }
            }
            return order.Select(e => entries[e.RequestId]).OrderByDescending(e => e.SubmittedAt ?? DateTimeOffset.MinValue)
                .Select(e => e.ToJob()).ToArray();
        }

        public CassetteJob? Find(string requestId) =>
            ReadAll().FirstOrDefault(j => string.Equals(j.RequestId, requestId, StringComparison.Ordinal));

        private static DateTimeOffset? Time(JsonElement root) =>
            DateTimeOffset.TryParse(FalJson.String(root, "at"), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : (DateTimeOffset?)null;

        private void Append(Action<Utf8JsonWriter> write)
        {
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
            string? folder = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            WithLock(() =>
            {
                // FileShare.None is an exclusive lock on every platform (flock on Unix): one writer at a time, across processes.
                using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
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

        /// <summary>Retries while another writer holds the file; gives up after a generous deadline.</summary>
        private T WithLock<T>(Func<T> action, bool readOnly)
        {
            var deadline = DateTime.UtcNow + LockTimeout;
            while (true)
            {
                try
                {
                    lock (ProcessGate) return action();
                }
                catch (IOException ex) when (!(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException) && DateTime.UtcNow < deadline)
                {
                    _random ??= new Random(Guid.NewGuid().GetHashCode());
                    Thread.Sleep(_random.Next(5, readOnly ? 15 : 30));
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
            public string Status { get; set; } = CassetteJob.InQueue;
            public DateTimeOffset? UpdatedAt { get; set; }
            public Uri? AudioUrl { get; set; }
            public string? Error { get; set; }
            public string? ErrorType { get; set; }

            public CassetteJob ToJob()
            {
                CassetteTrack? track = Status == CassetteJob.Completed && AudioUrl != null
                    ? new CassetteTrack(RequestId, Model, Prompt ?? string.Empty, Duration ?? 0, AudioUrl, null, null, null, null, Cost, QueueUrl)
                    : null;
                return new CassetteJob(RequestId, Status, null, Model, Prompt, Duration, Cost, QueueUrl, SubmittedAt, UpdatedAt ?? DateTimeOffset.MinValue,
                    null, Error, ErrorType, null, track, StatusUrl, ResponseUrl, CancelUrl);
            }
        }
    }
}
