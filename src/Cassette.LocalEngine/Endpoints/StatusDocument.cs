using System.Text.Json.Nodes;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Builds the JSON bodies fal returns for a request: urls, status objects, results.</summary>
public static class StatusDocument
{
    public static string RequestUrl(QueuedRequest request) =>
        new Uri(request.BaseUrl, $"{request.AppPath}/requests/{request.Id}").AbsoluteUri;

    public static JsonObject Urls(QueuedRequest request)
    {
        string baseUrl = RequestUrl(request);
        return new JsonObject
        {
            ["request_id"] = request.Id,
            ["response_url"] = baseUrl,
            ["status_url"] = baseUrl + "/status",
            ["cancel_url"] = baseUrl + "/cancel",
        };
    }

    public static JsonObject Status(QueuedRequest request, int? queuePosition, bool includeLogs)
    {
        var body = Urls(request);
        body["status"] = request.State switch
        {
            RequestState.InQueue => "IN_QUEUE",
            RequestState.InProgress => "IN_PROGRESS",
            _ => "COMPLETED",
        };
        // The Python client indexes queue_position and logs directly, so both keys are always present.
        body["queue_position"] = request.State == RequestState.InQueue ? queuePosition ?? 0 : null;
        body["logs"] = includeLogs && request.State != RequestState.InQueue ? Logs(request) : null;
        var metrics = new JsonObject();
        if (request.State == RequestState.Completed && request.InferenceSeconds is { } seconds)
            metrics["inference_time"] = Math.Round(seconds, 3);
        body["metrics"] = metrics;
        if (request.State == RequestState.Completed && request.Error is not null)
        {
            body["error"] = request.Error;
            body["error_type"] = request.ErrorType;
        }
        return body;
    }

    private static JsonArray Logs(QueuedRequest request)
    {
        var logs = new JsonArray();
        foreach (var entry in request.Logs)
        {
            logs.Add(new JsonObject
            {
                ["message"] = entry.Message,
                ["level"] = entry.Level,
                ["source"] = entry.Source,
                ["timestamp"] = entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
            });
        }
        return logs;
    }
}
