using System.Globalization;
using System.Text.Json.Nodes;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Builds the status objects fal returns for a request.</summary>
public static class StatusDocument
{
    public static JsonObject Urls(QueuedRequest request, Uri baseUrl)
    {
        string requestUrl = EngineUrls.RequestUrl(request, baseUrl);
        return new JsonObject
        {
            ["request_id"] = request.Id,
            ["response_url"] = requestUrl,
            ["status_url"] = requestUrl + "/status",
            ["cancel_url"] = requestUrl + "/cancel",
        };
    }

    public static JsonObject Status(QueuedRequest request, Uri baseUrl, int? queuePosition, bool includeLogs) =>
        Status(request, baseUrl, queuePosition, includeLogs ? request.Logs : null);

    /// <summary>A status object whose logs are exactly <paramref name="logs"/> (null: no logs key value).</summary>
    public static JsonObject Status(QueuedRequest request, Uri baseUrl, int? queuePosition, IEnumerable<LogEntry>? logs)
    {
        var body = Urls(request, baseUrl);
        var state = request.State;
        body["status"] = state switch
        {
            RequestState.InQueue => "IN_QUEUE",
            RequestState.InProgress => "IN_PROGRESS",
            _ => "COMPLETED",
        };
        // The Python client indexes queue_position and logs directly, so both keys are always present.
        body["queue_position"] = state == RequestState.InQueue ? queuePosition ?? 0 : null;
        body["logs"] = logs is not null && state != RequestState.InQueue ? LogArray(logs) : null;
        var metrics = new JsonObject();
        if (state == RequestState.Completed)
        {
            if (request.InferenceSeconds is { } seconds) metrics["inference_time"] = Math.Round(seconds, 3);
            // Benchmarks subtract this from the moment a client saw COMPLETED to measure its completion latency.
            metrics["completed_at"] = request.CompletedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            if (request.Error is not null)
            {
                body["error"] = request.Error;
                body["error_type"] = request.ErrorType;
            }
        }
        body["metrics"] = metrics;
        return body;
    }

    public static JsonArray LogArray(IEnumerable<LogEntry> entries)
    {
        var logs = new JsonArray();
        foreach (var entry in entries)
        {
            logs.Add(new JsonObject
            {
                ["message"] = entry.Message,
                ["level"] = entry.Level,
                ["source"] = entry.Source,
                ["timestamp"] = entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            });
        }
        return logs;
    }
}
