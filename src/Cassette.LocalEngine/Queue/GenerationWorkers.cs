using System.Text.Json.Nodes;
using Cassette.LocalEngine.Storage;
using Cassette.Synth;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Queue;

/// <summary>The engine's runners: a fixed number of loops that take requests in order and render them.</summary>
public sealed class GenerationWorkers : BackgroundService
{
    private readonly RequestQueue _queue;
    private readonly FileStore _files;
    private readonly EngineOptions _options;
    private readonly ILogger<GenerationWorkers> _logger;

    public GenerationWorkers(RequestQueue queue, FileStore files, IOptions<EngineOptions> options, ILogger<GenerationWorkers> logger)
    {
        _queue = queue;
        _files = files;
        _options = options.Value;
        _logger = logger;
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
            Process(request, stoppingToken);
        }
    }

    private void Process(QueuedRequest request, CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, request.Cancellation.Token);
        request.MarkStarted();
        request.AddLog($"Generating {request.DurationSeconds} s of audio.");
        string finalPath = _files.PathFor(request.Id);
        string partialPath = finalPath + ".partial";
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            using (var output = new FileStream(partialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                TrackSynthesizer.RenderWav(new SynthRequest(request.Prompt, request.DurationSeconds, request.Seed), output, linked.Token);
            File.Move(partialPath, finalPath, overwrite: true);
            var serverTime = TimeSpan.FromSeconds(_options.ProcessingSeconds + _options.ProcessingSecondsPerAudioSecond * request.DurationSeconds);
            if (serverTime > started.Elapsed)
                linked.Token.WaitHandle.WaitOne(serverTime - started.Elapsed);
            linked.Token.ThrowIfCancellationRequested();
            long size = new FileInfo(finalPath).Length;
            string fileName = request.Id + ".wav";
            request.AddLog("Generation finished.");
            request.Complete(new JsonObject
            {
                ["audio_file"] = new JsonObject
                {
                    ["url"] = new Uri(request.BaseUrl, $"files/{request.Id}/{fileName}").AbsoluteUri,
                    ["content_type"] = "audio/wav",
                    ["file_name"] = fileName,
                    ["file_size"] = size,
                },
            });
        }
        catch (OperationCanceledException)
        {
            File.Delete(partialPath);
            File.Delete(finalPath);
            request.Fail(499, "The request was cancelled.", "client_cancelled");
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Request {RequestId} failed", request.Id);
            File.Delete(partialPath);
            request.Fail(500, "The runner failed while generating audio.", "runner_server_error");
        }
    }
}
