using Cassette.LocalEngine.Queue;
using Cassette.LocalEngine.Storage;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Serves generated audio like fal's CDN: public, with Content-Length and Range support.</summary>
public static class FileEndpoints
{
    public static void MapFileEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/files/{id}/{name}", (string id, string name, RequestQueue queue, FileStore files) =>
        {
            var request = queue.Find(id);
            string path = files.PathFor(id);
            if (request is null || request.Result is null || !File.Exists(path))
                return Results.NotFound();
            return Results.File(path, "audio/wav", fileDownloadName: null, enableRangeProcessing: true);
        });
    }
}
