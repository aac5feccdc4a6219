using System.Text.Json.Nodes;

namespace Cassette.LocalEngine.Queue;

/// <summary>One submission as the engine tracks it from submit to expiry.</summary>
public sealed class QueuedRequest
{
    private readonly object _gate = new();
    private readonly List<LogEntry> _logs = new();

    public QueuedRequest(string id, string modelId, string appPath, string prompt, int durationSeconds, long? seed, Uri baseUrl)
    {
        BaseUrl = baseUrl;
        Id = id;
        ModelId = modelId;
        AppPath = appPath;
        Prompt = prompt;
        DurationSeconds = durationSeconds;
        Seed = seed;
        SubmittedAt = DateTimeOffset.UtcNow;
    }

    public string Id { get; }
    /// <summary>The scheme and host the client reached the engine at; every url handed out starts with it.</summary>
    public Uri BaseUrl { get; }
    public string ModelId { get; }
    /// <summary>"owner/app" as the client wrote it, used to build the status and result urls.</summary>
    public string AppPath { get; }
    public string Prompt { get; }
    public int DurationSeconds { get; }
    public long? Seed { get; }
    public DateTimeOffset SubmittedAt { get; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public RequestState State { get; private set; } = RequestState.InQueue;
    public JsonObject? Result { get; private set; }
    public int ResultStatusCode { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorType { get; private set; }
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Signalled on every change so status streams can push the new state.</summary>
    public event Action? Changed;

    public IReadOnlyList<LogEntry> Logs
    {
        get { lock (_gate) return _logs.ToArray(); }
    }

    public double? InferenceSeconds =>
        StartedAt is { } started && CompletedAt is { } done ? (done - started).TotalSeconds : null;

    public void NotifyChanged() => Changed?.Invoke();

    public void MarkStarted()
    {
        lock (_gate)
        {
            StartedAt = DateTimeOffset.UtcNow;
            State = RequestState.InProgress;
        }
        Changed?.Invoke();
    }

    public void AddLog(string message, string level = "INFO")
    {
        lock (_gate) _logs.Add(new LogEntry(message, level, "engine", DateTimeOffset.UtcNow));
        Changed?.Invoke();
    }

    public void Complete(JsonObject result)
    {
        lock (_gate)
        {
            Result = result;
            ResultStatusCode = 200;
            CompletedAt = DateTimeOffset.UtcNow;
            State = RequestState.Completed;
        }
        Changed?.Invoke();
    }

    public void Fail(int statusCode, string error, string errorType)
    {
        lock (_gate)
        {
            ResultStatusCode = statusCode;
            Error = error;
            ErrorType = errorType;
            StartedAt ??= DateTimeOffset.UtcNow;
            CompletedAt = DateTimeOffset.UtcNow;
            State = RequestState.Completed;
        }
        Changed?.Invoke();
    }
}

public sealed record LogEntry(string Message, string Level, string Source, DateTimeOffset Timestamp);
