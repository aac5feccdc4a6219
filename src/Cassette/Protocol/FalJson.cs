using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Cassette.Protocol
{
    /// <summary>Reads fal's JSON bodies tolerantly: a missing or mistyped field is null, never an exception.</summary>
    internal static class FalJson
    {
        public static string? String(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        public static long? Int64(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number)
                ? number
                : null;

        public static double? Double(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : null;

        /// <summary>An absolute http(s) url, else null (a file://, ftp:// or javascript: url included).</summary>
        public static Uri? HttpUri(JsonElement element, string name) => HttpUrls.Parse(String(element, name));

        public static Uri? AbsoluteUri(JsonElement element, string name) =>
            Uri.TryCreate(String(element, name), UriKind.Absolute, out var uri) ? uri : null;

        /// <summary>Reads pydantic's 422 detail list: [{"loc":["body","duration"],"msg":"...","type":"...","input":181}].</summary>
        public static IEnumerable<FalFieldError> FieldErrors(JsonElement list)
        {
            foreach (var item in list.EnumerateArray())
            {
                string? message = String(item, "msg");
                if (message is null) continue;
                string field = "input";
                if (item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in loc.EnumerateArray())
                        if (part.ValueKind == JsonValueKind.String && part.GetString() != "body") field = part.GetString()!;
                }
                string? input = item.TryGetProperty("input", out var value) ? value.GetRawText() : null;
                yield return new FalFieldError(field, message, String(item, "type"), input);
            }
        }

        public static FalStatus ParseStatus(JsonElement root, string? fallbackRequestId)
        {
            string status = String(root, "status") ?? string.Empty;
            string requestId = String(root, "request_id") ?? fallbackRequestId ?? string.Empty;
            int? position = Int64(root, "queue_position") is long p ? (int)Math.Min(p, int.MaxValue) : null;
            var logs = new List<FalLogEntry>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("logs", out var logArray) && logArray.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in logArray.EnumerateArray())
                {
                    string? message = String(entry, "message");
                    if (message is null) continue;
                    DateTimeOffset? at = DateTimeOffset.TryParse(String(entry, "timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
                    logs.Add(new FalLogEntry(message, String(entry, "level") ?? "INFO", at));
                }
            }
            double? inference = null;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metrics", out var metrics))
                inference = Double(metrics, "inference_time");
            // The urls a reply hands out are followed only when they are http(s); any other is as good as absent.
            return new FalStatus(status, requestId, position, HttpUri(root, "response_url"), HttpUri(root, "status_url"),
                HttpUri(root, "cancel_url"), logs, inference, String(root, "error"), String(root, "error_type"));
        }
    }
}
