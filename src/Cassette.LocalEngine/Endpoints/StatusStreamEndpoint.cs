using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Queue;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>
/// fal's status stream: server-sent events, one "data: {status}" per change, a ": ping" comment every
/// --StreamPingInterval (fal: about 15 s), and the stream closed right after the COMPLETED event. Like fal, each
/// event carries only the log lines that are new since the previous event (fal-js accumulates them itself).
/// </summary>
public static class StatusStreamEndpoint
{
    public static void MapStatusStream(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/{owner}/{app}/requests/{id}/status/stream", StreamAsync).WithFaultTarget(FaultNames.Stream);

    private static async Task StreamAsync(HttpContext context, string owner, string app, string id, RequestQueue queue,
        IOptions<EngineOptions> options, IHostApplicationLifetime lifetime)
    {
        var request = RequestLookup.Find(queue, options.Value, id, owner, app);
        if (request is null)
        {
            await RequestLookup.NotFound().ExecuteAsync(context);
            return;
        }
        bool logs = QueryFlags.IsTrue(context.Request.Query["logs"]);
        var baseUrl = EngineUrls.BaseOf(context);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var fault = context.Features.Get<ActiveFault>()?.Rule;

        var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        request.Changed += OnChanged;
        // Open streams must not hold up a graceful shutdown.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        var pingInterval = options.Value.StreamPingInterval > TimeSpan.Zero ? options.Value.StreamPingInterval : Timeout.InfiniteTimeSpan;
        try
        {
            string? last = null;
            int logsSent = 0;
            while (!token.IsCancellationRequested)
            {
                // Read the state before building the event: if the request completes in between, this pass sends
                // the older event and the next pass sends COMPLETED, instead of closing without it.
                bool completed = request.State == RequestState.Completed;
                var body = StatusDocument.Status(request, baseUrl, queue.PositionOf(request), logs: null);
                string state = body.ToJsonString();
                // The logs are read after the state: a COMPLETED event then holds every line, as lines only come before completion.
                var allLogs = request.Logs;
                bool withLogs = logs && body["status"]!.GetValue<string>() != "IN_QUEUE";
                if (state != last || (withLogs && allLogs.Count > logsSent))
                {
                    if (withLogs)
                    {
                        body["logs"] = StatusDocument.LogArray(allLogs.Skip(logsSent));
                        logsSent = allLogs.Count;
                    }
                    await context.Response.WriteAsync("data: " + body.ToJsonString() + "\n\n", token);
                    await context.Response.Body.FlushAsync(token);
                    last = state;
                    if (fault?.Kind == FaultNames.Truncate) return;
                    if (fault?.Kind == FaultNames.Stall)
                    {
                        await Task.Delay(Timeout.Infinite, token);
                        return;
                    }
                }
                if (completed) return;
                if (!await changed.WaitAsync(pingInterval, token).ConfigureAwait(false))
                {
                    await context.Response.WriteAsync(": ping\n\n", token);
                    await context.Response.Body.FlushAsync(token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away or the engine is stopping.
        }
        finally
        {
            request.Changed -= OnChanged;
        }
    }
}
