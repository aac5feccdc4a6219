using System.Text.Json.Nodes;
using Cassette.LocalEngine.Endpoints;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Webhooks;

/// <summary>The body fal POSTs to a request's fal_webhook once the request is done.</summary>
public static class WebhookBody
{
    public static JsonObject For(QueuedRequest request)
    {
        var body = new JsonObject
        {
            ["request_id"] = request.Id,
            ["gateway_request_id"] = request.Id,
        };
        if (request.Output is { } output)
        {
            body["status"] = "OK";
            body["payload"] = ResultDocument.Success(request, output, request.BaseUrl);
        }
        else
        {
            body["status"] = "ERROR";
            body["error"] = $"Invalid status code: {request.ResultStatusCode}";
            body["payload"] = ResultDocument.Error(request);
        }
        return body;
    }
}
