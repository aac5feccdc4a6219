using System.Text.Json.Nodes;
using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Builds what a completed request answers: fal's result body, or fal's flat error body.</summary>
public static class ResultDocument
{
    public const string TimeoutTypeHeader = "X-Fal-Request-Timeout-Type";

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

    public static JsonObject Error(QueuedRequest request) => new()
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
        context.Response.Headers[FaultMiddleware.ErrorTypeHeader] = request.ErrorType;
        if (request.ErrorType == "request_timeout")
            context.Response.Headers[TimeoutTypeHeader] = "user";
        return Results.Json(Error(request), statusCode: request.ResultStatusCode);
    }
}
