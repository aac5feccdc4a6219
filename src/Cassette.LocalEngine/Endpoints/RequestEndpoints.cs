using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Queue;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>fal's per-request routes under /{owner}/{app}/requests/{id}: status, result (both paths) and cancel.</summary>
public static class RequestEndpoints
{
    public static void MapRequestEndpoints(this IEndpointRouteBuilder routes)
    {
        const string request = "/{owner}/{app}/requests/{id}";
        routes.MapGet(request + "/status", Status).WithFaultTarget(FaultNames.Status);
        routes.MapGet(request, Result).WithFaultTarget(FaultNames.Result);
        routes.MapGet(request + "/response", Result).WithFaultTarget(FaultNames.Result);
        routes.MapPut(request + "/cancel", Cancel).WithFaultTarget(FaultNames.Cancel);
    }

    private static IResult Status(HttpContext context, string owner, string app, string id, RequestQueue queue, IOptions<EngineOptions> options)
    {
        var request = RequestLookup.Find(queue, options.Value, id, owner, app);
        if (request is null) return RequestLookup.NotFound();
        bool logs = QueryFlags.IsTrue(context.Request.Query["logs"]);
        var body = StatusDocument.Status(request, EngineUrls.BaseOf(context), queue.PositionOf(request), logs);
        return Results.Json(body, statusCode: request.State == RequestState.Completed ? 200 : 202);
    }

    private static IResult Result(HttpContext context, string owner, string app, string id, RequestQueue queue, IOptions<EngineOptions> options)
    {
        var request = RequestLookup.Find(queue, options.Value, id, owner, app);
        if (request is null) return RequestLookup.NotFound();
        if (request.State != RequestState.Completed)
            return Results.Json(new { detail = "Request is still in progress." }, statusCode: 400);
        return ResultDocument.Respond(context, request, context.ActiveFault(FaultNames.PatchResult));
    }

    /// <summary>
    /// How long a cancel of a running request waits for its runner to stop before answering. fal only promises
    /// CANCELLATION_REQUESTED; waiting briefly means a client that cancels and then reads the status sees the outcome
    /// instead of a request still IN_PROGRESS, and a runner that takes longer is still answered.
    /// </summary>
    public static readonly TimeSpan CancelSettleTime = TimeSpan.FromSeconds(2);

    private static async Task<IResult> Cancel(HttpContext context, string owner, string app, string id, RequestQueue queue, IOptions<EngineOptions> options)
    {
        var request = RequestLookup.Find(queue, options.Value, id, owner, app);
        if (request is null) return Results.Json(new { status = "NOT_FOUND" }, statusCode: 404);
        if (request.State == RequestState.Completed) return Results.Json(new { status = "ALREADY_COMPLETED" }, statusCode: 400);
        // fal: "the model app decides how to stop the work"; a runner that ignores the signal still gets a 202.
        bool ignored = context.ActiveFault(FaultNames.IgnoreCancel) is not null ||
                       (options.Value.IgnoreCancel && request.State == RequestState.InProgress);
        if (ignored) return Results.Json(new { status = "CANCELLATION_REQUESTED" }, statusCode: 202);
        queue.Cancel(request);
        try { await request.WhenCompleted.WaitAsync(CancelSettleTime, context.RequestAborted); }
        catch (TimeoutException) { }
        catch (OperationCanceledException) { }
        return Results.Json(new { status = "CANCELLATION_REQUESTED" }, statusCode: 202);
    }
}
