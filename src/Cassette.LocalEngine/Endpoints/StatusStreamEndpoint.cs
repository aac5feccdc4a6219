using System.Text.Json;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>
/// fal's status stream: server-sent events, one "data: {status}" per change, a ": ping" comment every
/// 15 s, and the stream closed right after the COMPLETED event.
/// </summary>
public static class StatusStreamEndpoint
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    public static void MapStatusStream(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/{owner}/{app}/requests/{id}/status/stream", StreamAsync);

    private static async Task StreamAsync(HttpContext context, string id, RequestQueue queue)
    {
        context.Response.Headers["x-fal-request-id"] = id;
        var request = queue.Find(id);
        if (request is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { detail = "Request not found." });
            return;
        }
        bool logs = QueryFlags.IsTrue(context.Request.Query["logs"]);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";

        var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        request.Changed += OnChanged;
        try
        {
            var aborted = context.RequestAborted;
            string? last = null;
            while (!aborted.IsCancellationRequested)
            {
                var status = StatusDocument.Status(request, queue.PositionOf(request), logs);
                string json = status.ToJsonString();
                if (json != last)
                {
                    await context.Response.WriteAsync("data: " + json + "\n\n", aborted);
                    await context.Response.Body.FlushAsync(aborted);
                    last = json;
                }
                if (request.State == RequestState.Completed) return;
                if (!await changed.WaitAsync(PingInterval, aborted).ConfigureAwait(false))
                {
                    await context.Response.WriteAsync(": ping\n\n", aborted);
                    await context.Response.Body.FlushAsync(aborted);
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            request.Changed -= OnChanged;
        }
    }
}
