using System;
using System.Globalization;
using System.Text.Json;
using Cassette.Protocol;

namespace Cassette.Journal
{
    /// <summary>
    /// One line of the journal, parsed: a submission (what was asked, where) or a status (a final outcome). A line that
    /// is not JSON, has no request id, or is a submission without a queue address parses to null.
    /// </summary>
    internal sealed class JournalLine
    {
        private JournalLine(string requestId, bool isSubmission, DateTimeOffset? at)
        {
            RequestId = requestId;
            IsSubmission = isSubmission;
            At = at;
        }

        public string RequestId { get; }
        public bool IsSubmission { get; }
        /// <summary>When it was written: the submission time for a submission.</summary>
        public DateTimeOffset? At { get; }

        // A submission's fields.
        public string Model { get; private set; } = FalModelId.MusicGenerator;
        public string? Prompt { get; private set; }
        public int? Duration { get; private set; }
        public decimal? Cost { get; private set; }
        public Uri? QueueUrl { get; private set; }
        public Uri? StatusUrl { get; private set; }
        public Uri? ResponseUrl { get; private set; }
        public Uri? CancelUrl { get; private set; }

        // A status's fields.
        public string? Status { get; private set; }
        public Uri? AudioUrl { get; private set; }
        public string? Error { get; private set; }
        public string? ErrorType { get; private set; }

        public static JournalLine? Parse(ArraySegment<byte> line)
        {
            try
            {
                using var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(line.Array, line.Offset, line.Count));
                var root = document.RootElement;
                string? id = FalJson.String(root, "request_id");
                if (id is null) return null;
                string? kind = FalJson.String(root, "event");
                if (kind == "submitted")
                {
                    if (!Uri.TryCreate(FalJson.String(root, "queue_url"), UriKind.Absolute, out var queueUrl)) return null;
                    return new JournalLine(id, isSubmission: true, Time(root))
                    {
                        Model = FalJson.String(root, "model") ?? FalModelId.MusicGenerator,
                        Prompt = FalJson.String(root, "prompt"),
                        Duration = FalJson.Int64(root, "duration") is long d ? (int)d : (int?)null,
                        Cost = root.TryGetProperty("estimated_cost", out var cost) && cost.ValueKind == JsonValueKind.Number ? cost.GetDecimal() : (decimal?)null,
                        QueueUrl = queueUrl,
                        StatusUrl = FalJson.AbsoluteUri(root, "status_url"),
                        ResponseUrl = FalJson.AbsoluteUri(root, "response_url"),
                        CancelUrl = FalJson.AbsoluteUri(root, "cancel_url"),
                    };
                }
                if (kind == "status")
                {
                    return new JournalLine(id, isSubmission: false, Time(root))
                    {
                        Status = FalJson.String(root, "status"),
                        AudioUrl = FalJson.AbsoluteUri(root, "audio_url"),
                        Error = FalJson.String(root, "error"),
                        ErrorType = FalJson.String(root, "error_type"),
                    };
                }
                return null;
            }
            catch (JsonException)
            {
                // A line cut short by a crash: the lines around it are still good.
                return null;
            }
        }

        private static DateTimeOffset? Time(JsonElement root) =>
            DateTimeOffset.TryParse(FalJson.String(root, "at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? at
                : (DateTimeOffset?)null;
    }
}
