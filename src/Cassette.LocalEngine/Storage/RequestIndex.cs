using System.Text.Json;
using Cassette.LocalEngine.Queue;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Storage;

/// <summary>
/// Keeps every completed request on disk beside its audio, so an engine restarted on the same storage folder
/// still answers for them. Requests that never completed are not kept: after a restart they answer 404.
/// </summary>
public sealed class RequestIndex : IHostedService
{
    private readonly RequestQueue _queue;
    private readonly FileStore _files;
    private readonly EngineOptions _options;
    private readonly ILogger<RequestIndex> _logger;

    public RequestIndex(RequestQueue queue, FileStore files, IOptions<EngineOptions> options, ILogger<RequestIndex> logger)
    {
        _queue = queue;
        _files = files;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Runs before the server listens, so no client sees the engine without its restored requests.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Load();
        _queue.Completing += Save;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Completing -= Save;
        return Task.CompletedTask;
    }

    private void Save(QueuedRequest request, StoredCompletion completion)
    {
        if (_files.IsTemporary) return;
        string path = _files.IndexPathFor(request.Id);
        try
        {
            string temporary = path + FileStore.PartialExtension;
            File.WriteAllText(temporary, JsonSerializer.Serialize(StoredRequest.From(request, completion)));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not only a full disk (IOException): a path the engine may not write is "access denied". Either way the
            // request still completes; it runs inside the completion, where an escaping exception left it IN_PROGRESS.
            _logger.LogWarning(ex, "Request {RequestId} could not be written to the index; it will not survive a restart", request.Id);
        }
    }

    private void Load()
    {
        var now = DateTimeOffset.UtcNow;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(_files.Folder, "*" + FileStore.IndexExtension))
        {
            var stored = Read(path);
            var request = stored?.ToRequest();
            if (request is null || Retention.FullyExpired(request, _options, now) || (request.Output is not null && !File.Exists(_files.PathFor(request.Id))))
                continue;
            _queue.Restore(request);
            kept.Add(request.Id);
        }
        RemoveLeftovers(kept);
    }

    private StoredRequest? Read(string path)
    {
        try { return JsonSerializer.Deserialize<StoredRequest>(File.ReadAllText(path)); }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException)
        {
            _logger.LogWarning(ex, "Ignoring the unreadable index entry {Path}", path);
            return null;
        }
    }

    /// <summary>Partial renders, and files of requests that expired or never completed, belong to no one now.</summary>
    private void RemoveLeftovers(HashSet<string> kept)
    {
        foreach (var path in Directory.EnumerateFiles(_files.Folder))
        {
            string name = Path.GetFileName(path);
            string id = name.Split('.')[0];
            bool ours = name.EndsWith(FileStore.PartialExtension, StringComparison.Ordinal) ||
                        name.EndsWith(FileStore.AudioExtension, StringComparison.Ordinal) ||
                        name.EndsWith(FileStore.IndexExtension, StringComparison.Ordinal);
            if (ours && Guid.TryParse(id, out _) && (!kept.Contains(id) || name.EndsWith(FileStore.PartialExtension, StringComparison.Ordinal)))
                _files.Delete(id);
        }
    }
}
