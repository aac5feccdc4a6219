using System.Text.Json.Nodes;
using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Builds what a completed request answers: fal's result body, or fal's flat error body.</summary>
public static class ResultDocument
{
    public const string TimeoutTypeHeader = "X-Fal-Request-Timeout-Type";
    public const string RetryableHeader = "X-Fal-Retryable";

    public static JsonObject Success(QueuedRequest request, AudioOutput output, Uri baseUrl) => new()
    {
        ["audio_file"] = new JsonObject
        {
            ["url"] = EngineUrls.FileUrl(request, output, baseUrl),
            ["content_type"] = "audio/wav",
            ["file_name"] = output.FileName,
            ["file_size"] = output.FileSize,
        },
    };

    public static JsonObject Error(QueuedRequest request) => request.ErrorBody is { } modelError
        ? (JsonObject)modelError.DeepClone()
        : new()
        {
            ["detail"] = request.Error,
            ["error_type"] = request.ErrorType,
        };

    /// <summary>The result response: the model's status code and body, with fal's error headers on failures.</summary>
    public static IResult Respond(HttpContext context, QueuedRequest request, FaultRule? patch)
    {
        if (request.Output is { } output)
        {
            var body = Success(request, output, EngineUrls.BaseOf(context));
            if (patch?.AudioFile is { } fields)
            {
                var file = body["audio_file"]!.AsObject();
                foreach (var (name, value) in fields) file[name] = value?.DeepClone();
            }
            return Results.Json(body);
        }
        if (request.ErrorBody is not null)
        {
            // A model's own error: its body as it is, with the type of its first problem and whether a retry may help.
            var first = request.ErrorBody["detail"] is JsonArray { Count: > 0 } problems ? problems[0] : null;
            context.Response.Headers[FaultMiddleware.ErrorTypeHeader] = first?["type"]?.GetValue<string>() ?? Queue.ModelRejection.DefaultType;
            context.Response.Headers[RetryableHeader] = request.Retryable ? "true" : "false";
            return Results.Json(Error(request), statusCode: request.ResultStatusCode);
        }
        context.Response.Headers[FaultMiddleware.ErrorTypeHeader] = request.ErrorType;
        if (request.ErrorType == "request_timeout")
            context.Response.Headers[TimeoutTypeHeader] = "user";
        return Results.Json(Error(request), statusCode: request.ResultStatusCode);
    }
}
