using System;
using System.Globalization;
using System.Text.Json;
using Cassette.Protocol;

namespace Cassette.Journal
{
    /// <summary>
    /// One journal line, read strictly: a line is used only when every field it carries is what the writer writes, so a
    /// hand-edited, torn or hostile line can never throw later (a cost no decimal holds, a model that does not parse, a
    /// queue that is not http(s)). A line that cannot be used comes back with the reason, for the reader's warning; a
    /// line of an event this version does not know (written by a newer one) is neither used nor reported.
    /// </summary>
    internal sealed class JournalLine
    {
        public const string Submitted = "submitted";
        public const string StatusEvent = "status";

        private JournalLine(string kind, string requestId) { Event = kind; RequestId = requestId; }

        public string Event { get; }
        public string RequestId { get; }
        public string Model { get; private set; } = FalModelId.MusicGenerator;
        public string? Prompt { get; private set; }
        public int? Duration { get; private set; }
        public decimal? EstimatedCost { get; private set; }
        public Uri? QueueUrl { get; private set; }
        public DateTimeOffset? At { get; private set; }
        public Uri? StatusUrl { get; private set; }
        public Uri? ResponseUrl { get; private set; }
        public Uri? CancelUrl { get; private set; }
        public string? Status { get; private set; }
        public Uri? AudioUrl { get; private set; }
        public string? Error { get; private set; }
        public string? ErrorType { get; private set; }
        /// <summary>The -BatchName batch and the item's place among identical items, on a submission of a batch.</summary>
        public string? Batch { get; private set; }
        public int? BatchItem { get; private set; }

        public bool IsSubmission => Event == Submitted;

        /// <summary>The line, or null: with a reason when it cannot be used, without one when it is another version's event.</summary>
        public static JournalLine? Parse(string text, out string? problem)
        {
            problem = null;
            try
            {
                using var document = JsonDocument.Parse(text);
                return Read(document.RootElement, out problem);
            }
            catch (JsonException)
            {
                return NotJson(out problem);
            }
        }

        /// <summary>
        /// The same, from the line's UTF-8 bytes as the journal's reader hands them out (no string of the whole line is
        /// made). A line whose text holds bytes that are not UTF-8 is read as its decoded text would be, with each bad
        /// byte as U+FFFD, as the journal has always read it.
        /// </summary>
        public static JournalLine? Parse(ArraySegment<byte> utf8, out string? problem)
        {
            problem = null;
            try
            {
                using var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(utf8.Array, utf8.Offset, utf8.Count));
                return Read(document.RootElement, out problem);
            }
            catch (JsonException)
            {
                return NotJson(out problem);
            }
            catch (InvalidOperationException)
            {
                // JsonDocument leaves the UTF-8 of string values to be checked when they are read.
                return Parse(new System.Text.UTF8Encoding(false, false).GetString(utf8.Array!, utf8.Offset, utf8.Count), out problem);
            }
        }

        private static JournalLine? NotJson(out string? problem) => Fail("it is not JSON (a line cut short by a crash, or edited by hand)", out problem);

        private static JournalLine? Read(JsonElement root, out string? problem)
        {
            problem = null;
            if (root.ValueKind != JsonValueKind.Object) return Fail("it is not a JSON object", out problem);
            if (!root.TryGetProperty("request_id", out var idElement) || idElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(idElement.GetString()))
                return Fail("it has no request_id", out problem);
            string? kind = FalJson.String(root, "event");
            if (kind != Submitted && kind != StatusEvent)
            {
                if (kind is null) return Fail("it has no event", out problem);
                return null;
            }
            var line = new JournalLine(kind, idElement.GetString()!);
            if (!line.ReadTime(root, out problem)) return null;
            return kind == Submitted ? line.ReadSubmission(root, out problem) : line.ReadStatus(root, out problem);
        }

        private JournalLine? ReadSubmission(JsonElement root, out string? problem)
        {
            problem = null;
            if (!OptionalString(root, "model", out var model)) return Fail("its model is not text", out problem);
            if (model != null)
            {
                try { Model = FalModelId.Parse(model).FullId; }
                catch (ArgumentException) { return Fail($"its model '{Shorten(model)}' is not a fal model id (owner/app[/path])", out problem); }
            }
            if (!OptionalString(root, "prompt", out var prompt)) return Fail("its prompt is not text", out problem);
            Prompt = prompt;
            if (!OptionalString(root, "batch", out var batch)) return Fail("its batch is not text", out problem);
            Batch = batch;
            if (root.TryGetProperty("batch_item", out var item) && item.ValueKind != JsonValueKind.Null)
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int place) || place < 1)
                    return Fail("its batch_item is not a whole number from 1", out problem);
                BatchItem = place;
            }
            if (root.TryGetProperty("duration", out var duration) && duration.ValueKind != JsonValueKind.Null)
            {
                if (duration.ValueKind != JsonValueKind.Number || !duration.TryGetInt32(out int seconds) || seconds < 0)
                    return Fail("its duration is not a whole number of seconds", out problem);
                Duration = seconds;
            }
            if (root.TryGetProperty("estimated_cost", out var cost) && cost.ValueKind != JsonValueKind.Null)
            {
                if (cost.ValueKind != JsonValueKind.Number || !cost.TryGetDecimal(out decimal dollars) || dollars < 0)
                    return Fail("its estimated_cost is not an amount of dollars", out problem);
                EstimatedCost = dollars;
            }
            QueueUrl = HttpUrls.WithoutUserInfo(HttpUrls.Parse(FalJson.String(root, "queue_url")));
            if (QueueUrl is null) return Fail("its queue_url is not an http(s) url", out problem);
            // Urls the queue handed out are used only when they are http(s); anything else is as good as absent.
            StatusUrl = HttpUrls.Parse(FalJson.String(root, "status_url"));
            ResponseUrl = HttpUrls.Parse(FalJson.String(root, "response_url"));
            CancelUrl = HttpUrls.Parse(FalJson.String(root, "cancel_url"));
            return this;
        }

        private JournalLine? ReadStatus(JsonElement root, out string? problem)
        {
            problem = null;
            string? status = FalJson.String(root, "status");
            if (status != CassetteRequest.Completed && status != CassetteRequest.Failed && status != CassetteRequest.Cancelled
                && status != CassetteRequest.InQueue && status != CassetteRequest.InProgress && status != CassetteRequest.CancellationRequested)
                return Fail($"its status '{Shorten(status ?? "")}' is not one the journal records", out problem);
            Status = status;
            AudioUrl = HttpUrls.Parse(FalJson.String(root, "audio_url"));
            if (!OptionalString(root, "error", out var error) || !OptionalString(root, "error_type", out var errorType))
                return Fail("its error is not text", out problem);
            Error = error;
            ErrorType = errorType;
            return this;
        }

        private bool ReadTime(JsonElement root, out string? problem)
        {
            problem = null;
            if (!OptionalString(root, "at", out var at)) { problem = "its time (at) is not text"; return false; }
            if (at != null && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when)) At = when;
            return true;
        }

        private static bool OptionalString(JsonElement root, string name, out string? value)
        {
            value = null;
            if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
            if (element.ValueKind != JsonValueKind.String) return false;
            value = element.GetString();
            return true;
        }

        private static JournalLine? Fail(string reason, out string? problem)
        {
            problem = reason;
            return null;
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 37) + "...";
    }
}
