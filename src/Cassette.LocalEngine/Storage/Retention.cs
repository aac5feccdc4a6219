using System.Text;
using Cassette.LocalEngine.Endpoints;
using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Storage;

/// <summary>
/// fal keeps a request's result JSON for 1 h (6 min when it is 10 KB or more) and its output files on the CDN for
/// at least 7 days. A request answers status, result and cancel until its result expires; its file is served, and
/// the request kept in memory and in the index, until the file expires too.
/// </summary>
public static class Retention
{
    public static TimeSpan ResultRetentionOf(QueuedRequest request, EngineOptions options) =>
        ResultBytes(request) >= options.LargeResultBytes ? options.LargeResultRetention : options.ResultRetention;

    /// <summary>True once status, result and cancel answer 404.</summary>
    public static bool ResultExpired(QueuedRequest request, EngineOptions options, DateTimeOffset now) =>
        request.CompletedAt is { } done && now - done >= ResultRetentionOf(request, options);

    /// <summary>True once nothing of the request is served any more: its file (if any) has expired too.</summary>
    public static bool FullyExpired(QueuedRequest request, EngineOptions options, DateTimeOffset now)
    {
        if (request.CompletedAt is not { } done) return false;
        var result = ResultRetentionOf(request, options);
        var kept = request.Output is null ? result : (options.FileRetention > result ? options.FileRetention : result);
        return now - done >= kept;
    }

    /// <summary>The size of the result body as the engine serves it (its urls built on the submission's address).</summary>
    private static long ResultBytes(QueuedRequest request)
    {
        var body = request.Output is { } output ? ResultDocument.Success(request, output, request.BaseUrl) : ResultDocument.Error(request);
        return Encoding.UTF8.GetByteCount(body.ToJsonString());
    }
}
