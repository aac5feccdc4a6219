using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Cassette.LocalEngine.Faults;

/// <summary>
/// Counts, per route (the fault targets: submit, status, stream, result, cancel, file), the calls the route itself
/// answered with a success. Tests ask it how many requests were really queued and how many audio bodies were served,
/// which no client-side record can prove. A call answered by a fault rule instead is not counted; one whose answer
/// was dropped after it took effect (drop-response), or whose body the client abandoned, is.
/// </summary>
public sealed class CallCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Count(string route) => _counts.AddOrUpdate(route, 1, (_, n) => n + 1);

    public long Of(string route) => _counts.TryGetValue(route, out long n) ? n : 0;

    /// <summary>Every route, zero included, so a client can tell "never called" from "unknown route".</summary>
    public JsonObject Describe()
    {
        var counts = new JsonObject();
        foreach (string route in FaultNames.Targets.Where(t => t != FaultNames.Any)) counts[route] = Of(route);
        return counts;
    }
}

public static class CallCounting
{
    public const string Path = "/_engine/calls";

    /// <summary>Runs inside the fault middleware, so it sees only the calls that reached their route.</summary>
    public static IApplicationBuilder UseCallCounting(this IApplicationBuilder app, CallCounter counter) =>
        app.Use(async (context, next) =>
        {
            var target = context.GetEndpoint()?.Metadata.GetMetadata<FaultTarget>();
            if (target is null)
            {
                await next(context);
                return;
            }
            int counted = 0;
            void CountSuccessOnce()
            {
                if (context.Response.StatusCode is >= 200 and < 300 && Interlocked.Exchange(ref counted, 1) == 0) counter.Count(target.Name);
            }
            // Counted as the answer starts, before the client can see any of it: counted only after the body, a client
            // that had read the whole file could ask for the counts before this call's count was added.
            context.Response.OnStarting(() =>
            {
                CountSuccessOnce();
                return Task.CompletedTask;
            });
            try
            {
                await next(context);
            }
            finally
            {
                // Also here: an answer that never started (drop-response writes to nothing) still took effect.
                CountSuccessOnce();
            }
        });

    /// <summary>GET /_engine/calls: {"submit": n, "status": n, "stream": n, "result": n, "cancel": n, "file": n}.</summary>
    public static void MapCallCounts(this IEndpointRouteBuilder routes) =>
        routes.MapGet(Path, (CallCounter counter) => Results.Json(counter.Describe()));
}
