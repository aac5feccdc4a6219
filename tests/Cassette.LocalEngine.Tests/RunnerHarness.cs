using Cassette.LocalEngine.Models;
using Cassette.LocalEngine.Queue;
using Cassette.LocalEngine.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// The engine's runners without its web host: the queue, the file store on a folder of the test's own, the request
/// index and the workers, with every log line kept. A test enqueues requests whose ids it chooses, so it can put
/// something in the way of a request's files before the runner gets there, and replay a runner failure exactly.
/// </summary>
public sealed class RunnerHarness : IAsyncDisposable
{
    /// <summary>Only stops a hang: a render on a loaded machine may take minutes (load averages over 100 were seen).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private readonly GenerationWorkers _workers;
    private readonly RequestIndex _index;
    private bool _stopped;

    public RunnerHarness(EngineOptions? options = null)
    {
        Folder = Directory.CreateTempSubdirectory("cassette-runner-").FullName;
        Options = options ?? new EngineOptions();
        Options.StorageFolder ??= Folder;
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Queue = new RequestQueue();
        Files = new FileStore(wrapped);
        _index = new RequestIndex(Queue, Files, wrapped, new ListLogger<RequestIndex>(Log));
        _workers = new GenerationWorkers(Queue, Files, wrapped, new ListLogger<GenerationWorkers>(Log));
    }

    public string Folder { get; }
    public EngineOptions Options { get; }
    public RequestQueue Queue { get; }
    public FileStore Files { get; }
    public List<(LogLevel Level, string Line)> Log { get; } = [];

    public async Task StartAsync()
    {
        await _index.StartAsync(CancellationToken.None);
        await _workers.StartAsync(CancellationToken.None);
    }

    /// <summary>Queues a request with an id of the test's choosing, as the submit endpoint would.</summary>
    public QueuedRequest Enqueue(string id, string prompt = "runner harness", int duration = 10, long? seed = 1)
    {
        var request = new QueuedRequest(id, "CassetteAI/music-generator", new GenerationInput(prompt, duration, seed),
            new Uri("http://127.0.0.1/"), DateTimeOffset.UtcNow);
        Assert.NotNull(Queue.TryEnqueue(request));
        return request;
    }

    public static async Task<QueuedRequest> CompletedAsync(QueuedRequest request)
    {
        await request.WhenCompleted.WaitAsync(Patience);
        return request;
    }

    public string[] LinesAt(LogLevel level)
    {
        lock (Log) return Log.Where(entry => entry.Level == level).Select(entry => entry.Line).ToArray();
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _workers.StopAsync(CancellationToken.None);
        await _index.StopAsync(CancellationToken.None);
        _workers.Dispose();
        Files.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Keeps each line as the console logger would show it: level, message and the exception's type, message and stack.</summary>
    private sealed class ListLogger<T>(List<(LogLevel Level, string Line)> log) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string line = formatter(state, exception) + (exception is null ? "" : Environment.NewLine + exception);
            lock (log) log.Add((logLevel, line));
        }
    }
}
