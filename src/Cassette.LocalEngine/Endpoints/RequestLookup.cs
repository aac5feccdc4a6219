using Cassette.LocalEngine.Queue;
using Cassette.LocalEngine.Storage;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Finds the request a path names; expired requests and requests of another model are not found.</summary>
public static class RequestLookup
{
    /// <summary>For status, result and cancel: found until its result expires.</summary>
    public static QueuedRequest? Find(RequestQueue queue, EngineOptions options, string id, string owner, string app)
    {
        var request = queue.Find(id);
        if (request is null || Retention.ResultExpired(request, options, DateTimeOffset.UtcNow))
            return null;
        if (!string.Equals(request.AppPath, owner + "/" + app, StringComparison.OrdinalIgnoreCase))
            return null;
        return request;
    }

    /// <summary>For its file: found until the file expires, which may be long after the result.</summary>
    public static QueuedRequest? FindForFile(RequestQueue queue, EngineOptions options, string id) =>
        queue.Find(id) is { } request && !Retention.FullyExpired(request, options, DateTimeOffset.UtcNow) ? request : null;

    public static IResult NotFound() => Results.Json(new { detail = "Request not found." }, statusCode: StatusCodes.Status404NotFound);
}
