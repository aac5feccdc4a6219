using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Queue;
using Cassette.LocalEngine.Storage;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>Serves generated audio like fal's CDN: public, from disk, with Content-Length and Range support.</summary>
public static class FileEndpoints
{
    public const string AudioContentType = "audio/wav";

    public static void MapFileEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/files/{id}/{name}", ServeAsync).WithFaultTarget(FaultNames.File);

    private static async Task ServeAsync(HttpContext context, string id, string name, RequestQueue queue, FileStore files,
        IOptions<EngineOptions> options, IHostApplicationLifetime lifetime)
    {
        var request = RequestLookup.FindForFile(queue, options.Value, id);
        string path = files.PathFor(id);
        if (request?.Output is not { } output || output.FileName != name || !File.Exists(path))
        {
            await RequestLookup.NotFound().ExecuteAsync(context);
            return;
        }
        // A request's audio never changes, so its id is a strong validator: clients resume with Range + If-Range.
        var entityTag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"" + id + "\"");
        var lastModified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        var fault = context.Features.Get<ActiveFault>()?.Rule;
        switch (fault?.Kind)
        {
            case FaultNames.ReplaceBody:
                byte[] body = fault.BodyBase64 is { } base64 ? Convert.FromBase64String(base64) : System.Text.Encoding.UTF8.GetBytes(fault.BodyText!);
                await Results.Bytes(body, AudioContentType).ExecuteAsync(context);
                break;
            case FaultNames.Stall:
                SetValidators(context, entityTag, lastModified);
                await SendPartAsync(context, path, output.FileSize, fault.Bytes ?? 1024);
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping))
                {
                    try { await Task.Delay(Timeout.Infinite, stop.Token); }
                    catch (OperationCanceledException) { }
                }
                context.Abort();
                break;
            case FaultNames.Truncate:
                long announced = fault.ContentLength ?? output.FileSize;
                SetValidators(context, entityTag, lastModified);
                await SendPartAsync(context, path, announced, fault.Bytes ?? output.FileSize / 2);
                await ConnectionClose.AfterSentDataAsync(context);
                break;
            default:
                await Results.File(path, AudioContentType, fileDownloadName: null, lastModified, entityTag, enableRangeProcessing: true).ExecuteAsync(context);
                break;
        }
    }

    private static void SetValidators(HttpContext context, Microsoft.Net.Http.Headers.EntityTagHeaderValue entityTag, DateTimeOffset lastModified)
    {
        context.Response.Headers.ETag = entityTag.ToString();
        context.Response.Headers.LastModified = lastModified.ToString("R");
    }

    /// <summary>Announces <paramref name="announced"/> bytes and sends fewer, so the client sees a body that stops short.</summary>
    private static async Task SendPartAsync(HttpContext context, string path, long announced, long bytes)
    {
        context.Response.ContentType = AudioContentType;
        context.Response.ContentLength = announced;
        long count = Math.Min(Math.Min(bytes, announced - 1), new FileInfo(path).Length);
        await using var file = File.OpenRead(path);
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            int read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), context.RequestAborted);
            if (read == 0) break;
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            count -= read;
        }
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
