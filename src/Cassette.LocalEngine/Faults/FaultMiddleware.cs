using System.Globalization;

namespace Cassette.LocalEngine.Faults;

/// <summary>
/// Fires fault rules on the routes that carry a <see cref="FaultTarget"/>. Faults that replace the whole answer
/// are carried out here; the rest are handed to the endpoint as an <see cref="ActiveFault"/>.
/// </summary>
public static class FaultMiddleware
{
    public const string ErrorTypeHeader = "X-Fal-Error-Type";
    private const string NotJson = "{\"status\": \"IN_PROGRESS\", \"request_id\": ";

    public static IApplicationBuilder UseFaultInjection(this IApplicationBuilder app, FaultRegistry faults) =>
        app.Use(async (context, next) =>
        {
            var target = context.GetEndpoint()?.Metadata.GetMetadata<FaultTarget>();
            var rule = target is null || faults.IsEmpty ? null : faults.Match(target.Name, context.GetRouteValue("id") as string);
            switch (rule?.Kind)
            {
                case null:
                    await next(context);
                    break;
                case FaultNames.Http:
                    await WriteHttpFaultAsync(context, rule);
                    break;
                case FaultNames.Reset:
                    context.Abort();
                    break;
                case FaultNames.DropResponse:
                    // The call takes effect (a submit is queued, a cancel happens), but its answer never arrives.
                    context.Response.Body = Stream.Null;
                    await next(context);
                    context.Abort();
                    break;
                case FaultNames.Delay:
                    await Task.Delay(rule.DelayMs!.Value, context.RequestAborted);
                    await next(context);
                    break;
                case FaultNames.InvalidJson:
                    context.Response.StatusCode = rule.Status ?? StatusCodes.Status200OK;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(NotJson);
                    break;
                default:
                    context.Features.Set(new ActiveFault(rule));
                    await next(context);
                    break;
            }
        });

    private static async Task WriteHttpFaultAsync(HttpContext context, FaultRule rule)
    {
        var response = context.Response;
        response.StatusCode = rule.Status!.Value;
        if (rule.RetryAfter is { } seconds)
        {
            response.Headers.RetryAfter = rule.RetryAfterFormat == "http-date"
                ? DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("R", CultureInfo.InvariantCulture)
                : seconds.ToString(CultureInfo.InvariantCulture);
        }
        if (rule.ErrorType is not null)
        {
            response.Headers[ErrorTypeHeader] = rule.ErrorType;
            await response.WriteAsJsonAsync(new { detail = rule.Detail ?? $"Injected fault: {rule.ErrorType}.", error_type = rule.ErrorType });
        }
        else if (rule.Body is not null)
        {
            response.ContentType = rule.ContentType ?? "text/plain";
            await response.WriteAsync(rule.Body);
        }
        else if (rule.Detail is not null)
        {
            await response.WriteAsJsonAsync(new { detail = rule.Detail });
        }
    }
}
