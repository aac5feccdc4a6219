using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Models;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>fal's submit: POST /{owner}/{app} with the model input, answered with the new request's urls.</summary>
public static class SubmitEndpoint
{
    public const string PriorityHeader = "X-Fal-Queue-Priority";
    public const string TimeoutHeader = "X-Fal-Request-Timeout";

    public static void MapSubmit(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/{owner}/{app}/{**path}", SubmitAsync).WithFaultTarget(FaultNames.Submit);

    private static async Task<IResult> SubmitAsync(HttpContext context, string owner, string app, string? path, RequestQueue queue,
        Microsoft.Extensions.Options.IOptions<EngineOptions> options)
    {
        var model = ModelCatalog.Find(owner, app);
        if (model is null || !string.IsNullOrEmpty(path?.Trim('/')))
            return Results.Json(new { detail = $"Application '{owner}/{app}' not found." }, statusCode: 404);

        var problems = new JsonArray();
        var (body, refusal) = await SubmissionBody.ReadAsync(context, options.Value.MaxBodyBytes, problems);
        if (refusal is not null) return refusal;
        var input = problems.Count == 0 ? InputValidation.Validate(body, model, problems) : null;
        if (problems.Count > 0 || input is null)
            return Results.Json(new JsonObject { ["detail"] = problems }, statusCode: 422);

        var query = context.Request.Query;
        Uri? webhook = null;
        if (query.TryGetValue("fal_webhook", out var webhookValue) &&
            (!Uri.TryCreate(webhookValue.ToString(), UriKind.Absolute, out webhook) || webhook.Scheme is not ("http" or "https")))
            return Results.Json(new { detail = "fal_webhook must be an absolute http or https url." }, statusCode: 400);

        var request = new QueuedRequest(Guid.NewGuid().ToString(), owner + "/" + app, input, EngineUrls.BaseOf(context), DateTimeOffset.UtcNow)
        {
            Priority = ReadPriority(context.Request.Headers[PriorityHeader].ToString()),
            StartTimeout = ReadStartTimeout(context.Request.Headers[TimeoutHeader].ToString()),
            WebhookUrl = webhook,
            Rejection = context.ActiveFault(FaultNames.ModelError) is { } rejectRule ? ModelRejection.From(rejectRule, input) : null,
        };
        int? maxWaiting = ReadMaxQueueLength(query["fal_max_queue_length"].ToString());
        int? ahead = queue.TryEnqueue(request, maxWaiting);
        if (ahead is null)
            return Results.Json(new { detail = $"The queue of {model.AppPath} is full ({maxWaiting} requests waiting, fal_max_queue_length={maxWaiting})." }, statusCode: 429);

        context.Response.Headers[RequestIdHeader.Name] = request.Id;
        // A worker may pick the request up at once; the submit answer still reports it as queued, as fal does.
        var answer = StatusDocument.Urls(request, EngineUrls.BaseOf(context));
        answer["gateway_request_id"] = request.Id;
        answer["status"] = "IN_QUEUE";
        answer["queue_position"] = ahead;
        return Results.Json(answer);
    }

    private static QueuePriority ReadPriority(string value) =>
        value.Trim().Equals("low", StringComparison.OrdinalIgnoreCase) ? QueuePriority.Low : QueuePriority.Normal;

    /// <summary>Unparsable or non-positive deadlines are ignored rather than refused (fal's handling is unconfirmed).</summary>
    private static TimeSpan? ReadStartTimeout(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>Values below 1 are ignored: a limit of 0 would refuse every submission.</summary>
    private static int? ReadMaxQueueLength(string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int max) && max >= 1 ? max : null;
}
