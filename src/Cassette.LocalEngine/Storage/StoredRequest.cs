using Cassette.LocalEngine.Models;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Storage;

/// <summary>The on-disk form of a completed request in the request index (one &lt;id&gt;.json per request).</summary>
public sealed record StoredRequest(
    string Id, string AppPath, GenerationInput Input, Uri BaseUrl, DateTimeOffset SubmittedAt, StoredCompletion Completion)
{
    public static StoredRequest From(QueuedRequest request, StoredCompletion completion) => new(
        request.Id, request.AppPath, request.Input, request.BaseUrl, request.SubmittedAt, completion);

    public QueuedRequest ToRequest()
    {
        var request = new QueuedRequest(Id, AppPath, Input, BaseUrl, SubmittedAt);
        request.Restore(Completion);
        return request;
    }
}
