namespace Cassette.LocalEngine.Endpoints;

/// <summary>
/// No answer without a JSON body: an unknown route is FastAPI's 404 {"detail":"Not Found"}, a wrong method its 405
/// {"detail":"Method Not Allowed"}, and an unexpected failure fal's flat 500 with error_type internal_error.
/// </summary>
public static class FalShapedErrors
{
    public static IApplicationBuilder UseFalShapedErrors(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FalShapedErrors))
                    .LogError(ex, "Unexpected failure answering {Method} {Path}", context.Request.Method, context.Request.Path);
                context.Response.Clear();
                context.Response.Headers[Faults.FaultMiddleware.ErrorTypeHeader] = "internal_error";
                await Results.Json(new { detail = "Internal Server Error", error_type = "internal_error" }, statusCode: 500).ExecuteAsync(context);
                return;
            }
            if (context.Response.HasStarted || context.Response.ContentLength > 0 || context.Response.ContentType is not null)
                return;
            // Only answers routing made (no endpoint, or its method-not-allowed endpoint), never the empty answer of an
            // http fault rule on one of the engine's own routes (they all carry a fault target).
            if (context.GetEndpoint()?.Metadata.GetMetadata<Faults.FaultTarget>() is not null) return;
            if (context.Response.StatusCode == StatusCodes.Status404NotFound)
                await Results.Json(new { detail = "Not Found" }, statusCode: 404).ExecuteAsync(context);
            else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
                await Results.Json(new { detail = "Method Not Allowed" }, statusCode: 405).ExecuteAsync(context);
        });
}
