using Cassette.LocalEngine.Queue;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Storage;

/// <summary>
/// Forgets completed requests once nothing of them is served any more (result and file expired) and deletes their
/// files, so memory and disk stay bounded. Endpoints also check expiry themselves, so a request answers 404 on time
/// whatever the sweep's pace.
/// </summary>
public sealed class RetentionSweeper : BackgroundService
{
    private readonly RequestQueue _queue;
    private readonly FileStore _files;
    private readonly EngineOptions _options;

    public RetentionSweeper(RequestQueue queue, FileStore files, IOptions<EngineOptions> options)
    {
        _queue = queue;
        _files = files;
        _options = options.Value;
    }

    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(
        new[] { _options.ResultRetention, _options.LargeResultRetention, _options.FileRetention }.Min().Ticks / 4,
        TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                Sweep(DateTimeOffset.UtcNow);
        }
        catch (OperationCanceledException) { }
    }

    public void Sweep(DateTimeOffset now)
    {
        foreach (var request in _queue.Snapshot())
        {
            if (!Retention.FullyExpired(request, _options, now)) continue;
            _queue.Forget(request.Id);
            _files.Delete(request.Id);
        }
    }
}
