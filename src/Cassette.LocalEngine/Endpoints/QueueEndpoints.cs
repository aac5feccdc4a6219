using System.Text.Json;
using System.Text.Json.Nodes;
using Cassette.LocalEngine.Queue;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>fal's queue routes: submit, status, result and cancel.</summary>
public static class QueueEndpoints
{
    public const string MusicGeneratorApp = "cassetteai/music-generator";
    public const int MinDuration = 10;
    public const int MaxDuration = 180;

    public static void MapQueueEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/{owner}/{app}/{**path}", Submit);
        routes.MapGet("/{owner}/{app}/requests/{id}/status", Status);
        routes.MapStatusStream();
        routes.MapGet("/{owner}/{app}/requests/{id}", Result);
        routes.MapGet("/{owner}/{app}/requests/{id}/response", Result);
        routes.MapPut("/{owner}/{app}/requests/{id}/cancel", Cancel);
    }

    private static async Task<IResult> Submit(HttpContext context, string owner, string app, string? path, RequestQueue queue)
    {
        string appPath = owner + "/" + app;
        if (!string.Equals(appPath, MusicGeneratorApp, StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(path?.Trim('/')))
            return Results.Json(new { detail = $"Application '{appPath}' not found." }, statusCode: 404);

        JsonNode? body;
        try { body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted); }
        catch (JsonException) { return Results.Json(new { detail = "Request body is not valid JSON." }, statusCode: 400); }

        var problems = new JsonArray();
        string? prompt = body?["prompt"] is JsonValue p && p.TryGetValue<string>(out var text) ? text : null;
        if (prompt is null)
            problems.Add(Problem("prompt", "Field required", "missing", body?["prompt"]));
        int? duration = body?["duration"] is JsonValue d && d.TryGetValue<int>(out var seconds) ? seconds : null;
        if (duration is null)
            problems.Add(Problem("duration", "Field required", "missing", body?["duration"]));
        else if (duration < MinDuration)
            problems.Add(Problem("duration", $"Input should be greater than or equal to {MinDuration}", "greater_than_equal", body!["duration"], new JsonObject { ["ge"] = MinDuration }));
        else if (duration > MaxDuration)
            problems.Add(Problem("duration", $"Input should be less than or equal to {MaxDuration}", "less_than_equal", body!["duration"], new JsonObject { ["le"] = MaxDuration }));
        if (problems.Count > 0)
            return Results.Json(new JsonObject { ["detail"] = problems }, statusCode: 422);

        long? seed = body?["seed"] is JsonValue s && s.TryGetValue<long>(out var seedValue) ? seedValue : null;
        var baseUrl = new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/");
        var request = new QueuedRequest(Guid.NewGuid().ToString(), appPath, appPath, prompt!, duration!.Value, seed, baseUrl);
        int ahead = queue.Enqueue(request);
        context.Response.Headers["x-fal-request-id"] = request.Id;
        // A worker may pick the request up at once; the submit answer still reports it as queued, as fal does.
        var answer = StatusDocument.Urls(request);
        answer["status"] = "IN_QUEUE";
        answer["queue_position"] = ahead;
        return Results.Json(answer, statusCode: 200);
    }

    private static JsonObject Problem(string field, string message, string type, JsonNode? input, JsonObject? ctx = null)
    {
        var problem = new JsonObject
        {
            ["loc"] = new JsonArray("body", field),
            ["msg"] = message,
            ["type"] = type,
        };
        if (ctx is not null) problem["ctx"] = ctx;
        if (input is not null) problem["input"] = input.DeepClone();
        return problem;
    }

    private static IResult Status(HttpContext context, string id, RequestQueue queue)
    {
        context.Response.Headers["x-fal-request-id"] = id;
        var request = queue.Find(id);
        if (request is null) return Results.Json(new { detail = "Request not found." }, statusCode: 404);
        bool logs = QueryFlags.IsTrue(context.Request.Query["logs"]);
        var body = StatusDocument.Status(request, queue.PositionOf(request), logs);
        return Results.Json(body, statusCode: request.State == RequestState.Completed ? 200 : 202);
    }

    private static IResult Result(HttpContext context, string id, RequestQueue queue)
    {
        context.Response.Headers["x-fal-request-id"] = id;
        var request = queue.Find(id);
        if (request is null) return Results.Json(new { detail = "Request not found." }, statusCode: 404);
        if (request.State != RequestState.Completed)
            return Results.Json(new { detail = "Request is still in progress." }, statusCode: 400);
        if (request.Error is not null)
            return Results.Json(new { detail = request.Error, error_type = request.ErrorType }, statusCode: request.ResultStatusCode);
        return Results.Json(request.Result, statusCode: 200);
    }

    private static IResult Cancel(HttpContext context, string id, RequestQueue queue)
    {
        context.Response.Headers["x-fal-request-id"] = id;
        var request = queue.Find(id);
        if (request is null) return Results.Json(new { status = "NOT_FOUND" }, statusCode: 404);
        if (request.State == RequestState.Completed) return Results.Json(new { status = "ALREADY_COMPLETED" }, statusCode: 400);
        if (queue.TryRemoveWaiting(request))
            request.Fail(499, "The request was cancelled.", "client_cancelled");
        else
            request.Cancellation.Cancel();
        return Results.Json(new { status = "CANCELLATION_REQUESTED" }, statusCode: 202);
    }

}
