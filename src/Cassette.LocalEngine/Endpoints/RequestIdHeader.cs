namespace Cassette.LocalEngine.Endpoints;

/// <summary>
/// fal puts x-fal-request-id on every response, and the JS client reads a result's request id from it: the id
/// the path names when there is one, a fresh id for anything else (errors included).
/// </summary>
public static class RequestIdHeader
{
    public const string Name = "x-fal-request-id";

    public static IApplicationBuilder UseFalRequestId(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (!context.Response.Headers.ContainsKey(Name))
                    context.Response.Headers[Name] = context.GetRouteValue("id") as string ?? Guid.NewGuid().ToString();
                return Task.CompletedTask;
            });
            return next(context);
        });
}
