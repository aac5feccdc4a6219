using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Finds the request a path names; expired requests and requests of another model are not found.</summary>
public static class RequestLookup
{
    public static QueuedRequest? Find(RequestQueue queue, EngineOptions options, string id, string? owner = null, string? app = null)
    {
        var request = queue.Find(id);
        if (request is null || request.IsExpired(DateTimeOffset.UtcNow, options.Retention))
            return null;
        if (owner is not null && !string.Equals(request.AppPath, owner + "/" + app, StringComparison.OrdinalIgnoreCase))
            return null;
        return request;
    }

    public static IResult NotFound() => Results.Json(new { detail = "Request not found." }, statusCode: StatusCodes.Status404NotFound);
}
