using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>The urls handed to clients, built from the address the client reached the engine at.</summary>
public static class EngineUrls
{
    public static Uri BaseOf(HttpContext context) =>
        new($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/");

    public static string RequestUrl(QueuedRequest request, Uri baseUrl) =>
        new Uri(baseUrl, $"{request.AppPath}/requests/{request.Id}").AbsoluteUri;

    public static string FileUrl(QueuedRequest request, AudioOutput output, Uri baseUrl) =>
        new Uri(baseUrl, $"files/{request.Id}/{output.FileName}").AbsoluteUri;
}
