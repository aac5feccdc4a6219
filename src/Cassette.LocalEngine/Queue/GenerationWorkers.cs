using Cassette.LocalEngine.Storage;
using Cassette.Synth;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Queue;

/// <summary>The engine's runners: a fixed number of loops that take requests in order and render them.</summary>
public sealed class GenerationWorkers : BackgroundService
{
    private static readonly TimeSpan ProgressLogInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _renderSlots = new(Environment.ProcessorCount);
    private readonly RequestQueue _queue;
    private readonly FileStore _files;
    private readonly EngineOptions _options;
    private readonly ILogger<GenerationWorkers> _logger;
    private readonly LoopedClip? _benchmarkClip;

    public GenerationWorkers(RequestQueue queue, FileStore files, IOptions<EngineOptions> options, ILogger<GenerationWorkers> logger)
    {
        _queue = queue;
        _files = files;
        _options = options.Value;
        _logger = logger;
        _benchmarkClip = _options.BenchmarkAudio ? new LoopedClip() : null;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int workers = Math.Max(1, _options.Workers);
        var loops = Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(loops);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            QueuedRequest request;
            try { request = await _queue.DequeueAsync(stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            await ProcessAsync(request, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueuedRequest request, CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, request.Cancellation.Token);
        var token = linked.Token;
        request.MarkStarted();
        var input = request.Input;
        request.AddLog($"Generating {input.DurationSeconds} s of audio" + (input.Seed is { } seed ? $" with seed {seed}." : "."));
        string finalPath = _files.PathFor(request.Id);
        string partialPath = _files.PartialPathFor(request.Id);
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await RenderAsync(new SynthRequest(input.Prompt, input.DurationSeconds, input.Seed), partialPath, token).ConfigureAwait(false);
            await WaitForServerTimeAsync(request, started, token).ConfigureAwait(false);
            token.ThrowIfCancellationRequested();
            File.Move(partialPath, finalPath, overwrite: true);
            request.AddLog("Generation finished.");
            var output = new AudioOutput(request.Id + ".wav", new FileInfo(finalPath).Length);
            if (!_queue.Complete(request, output))
                _files.DeleteAudio(request.Id);
        }
        catch (OperationCanceledException)
        {
            _files.Delete(request.Id);
            // At shutdown the request is simply dropped: it is not persisted, so a restarted engine answers 404.
            if (!stoppingToken.IsCancellationRequested)
                _queue.Fail(request, 499, RequestQueue.CancelledMessage, "client_cancelled");
        }
        catch (Exception ex) when (token.IsCancellationRequested)
        {
            // A render the client cancelled, or one racing the engine's shutdown (whose folder may already be gone),
            // ended with something other than the cancellation: still a cancellation to the client, not a runner
            // failure. The exception is kept in the log in case it hides a bug of its own.
            _logger.LogWarning(ex, "Request {RequestId} threw while it was being cancelled", request.Id);
            _files.Delete(request.Id);
            if (!stoppingToken.IsCancellationRequested)
                _queue.Fail(request, 499, RequestQueue.CancelledMessage, "client_cancelled");
        }
        catch (Exception ex) when (StorageExhaustion.Is(ex))
        {
            // A full disk (or quota, or no file handles left) on a busy machine: fal's runner that cannot write its
            // output fails the request the same way, so the client's 500 is unchanged, but the log says what to free
            // instead of reading as a bug to hunt.
            _logger.LogError(ex, "Request {RequestId} failed: the storage folder {Folder} is out of space or file handles, " +
                "not the engine's bug; prompt \"{Prompt}\", seed {Seed}, duration {Duration} s",
                request.Id, _files.Folder, input.Prompt, input.Seed?.ToString() ?? "none", input.DurationSeconds);
            FailAsRunner(request);
        }
        catch (Exception ex)
        {
            // The engine's own bug: its exception (type, message, stack) and what replays it go to the engine log;
            // the client sees only fal's runner error.
            _logger.LogError(ex, "Request {RequestId} failed: prompt \"{Prompt}\", seed {Seed}, duration {Duration} s",
                request.Id, input.Prompt, input.Seed?.ToString() ?? "none", input.DurationSeconds);
            FailAsRunner(request);
        }
    }

    private void FailAsRunner(QueuedRequest request)
    {
        // A request whose success was already made visible (a subscriber of its completion threw afterwards) keeps its file.
        if (!request.Succeeded) _files.Delete(request.Id);
        _queue.Fail(request, 500, "The runner failed while generating audio.", "runner_server_error");
    }

    /// <summary>
    /// Renders on a thread of its own, at most one render per core at a time. Rendering is CPU-bound and the
    /// synthesizer already spreads one render over the cores: sixteen workers rendering at once on pool threads
    /// starved Kestrel of threads, so the next submissions and status answers waited behind them.
    /// </summary>
    private async Task RenderAsync(SynthRequest synthRequest, string path, CancellationToken token)
    {
        if (_benchmarkClip is not null)
        {
            // A file write, not a render: no render slot or thread of its own needed.
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            _benchmarkClip.WriteWav(file, synthRequest.DurationSeconds, token);
            return;
        }
        await _renderSlots.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await Task.Factory.StartNew(() =>
            {
                using var wav = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                TrackSynthesizer.RenderWav(synthRequest, wav, token);
            }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _renderSlots.Release();
        }
    }

    /// <summary>
    /// Holds the request until the configured server time has passed, logging progress like a real runner.
    /// The wait is asynchronous: sixteen workers blocking pool threads would starve Kestrel of threads to answer with.
    /// </summary>
    private async Task WaitForServerTimeAsync(QueuedRequest request, System.Diagnostics.Stopwatch started, CancellationToken token)
    {
        var schedule = new ServerTimeSchedule(
            TimeSpan.FromSeconds(_options.ProcessingSeconds + _options.ProcessingSecondsPerAudioSecond * request.Input.DurationSeconds),
            ProgressLogInterval);
        while (schedule.WaitFrom(started.Elapsed) is { } wait)
        {
            try { await Task.Delay(wait, token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (schedule.LineAt(started.Elapsed) is { } line) request.AddLog(line);
        }
    }
}
