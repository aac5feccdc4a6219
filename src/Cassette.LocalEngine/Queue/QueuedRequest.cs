using System.Text.Json.Nodes;
using Cassette.LocalEngine.Models;

namespace Cassette.LocalEngine.Queue;

/// <summary>One submission as the engine tracks it from submit to expiry.</summary>
public sealed class QueuedRequest
{
    private readonly object _gate = new();
    private readonly List<LogEntry> _logs = new();
    private bool _finishing;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueuedRequest(string id, string appPath, GenerationInput input, Uri baseUrl, DateTimeOffset submittedAt)
    {
        Id = id;
        AppPath = appPath;
        Input = input;
        BaseUrl = baseUrl;
        SubmittedAt = submittedAt;
    }

    public string Id { get; }
    /// <summary>"owner/app" as the client wrote it, used to build the status and result urls.</summary>
    public string AppPath { get; }
    public GenerationInput Input { get; }
    /// <summary>The address the client submitted to; webhooks, which have no request of their own, use it.</summary>
    public Uri BaseUrl { get; }
    public QueuePriority Priority { get; init; }
    /// <summary>fal's X-Fal-Request-Timeout: how long the request may wait before it must have started.</summary>
    public TimeSpan? StartTimeout { get; init; }
    public Uri? WebhookUrl { get; init; }
    /// <summary>When set, the runner does the work but the model answers this error instead of the audio.</summary>
    public ModelRejection? Rejection { get; init; }

    public DateTimeOffset SubmittedAt { get; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public RequestState State { get; private set; } = RequestState.InQueue;
    public AudioOutput? Output { get; private set; }
    public int ResultStatusCode { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorType { get; private set; }
    /// <summary>A model error's own body (pydantic's detail list), answered by the result as it is.</summary>
    public JsonObject? ErrorBody { get; private set; }
    public bool Retryable { get; private set; }
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes once the request is COMPLETED (success, failure or cancellation).</summary>
    public Task WhenCompleted => _completed.Task;

    /// <summary>Signalled on every change so status streams can push the new state.</summary>
    public event Action? Changed;

    public IReadOnlyList<LogEntry> Logs
    {
        get { lock (_gate) return _logs.ToArray(); }
    }

    public bool Succeeded => State == RequestState.Completed && Output is not null;

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

    /// <summary>Marks the request COMPLETED with its file; false when it already completed (a cancel or deadline won).</summary>
    /// <param name="beforeVisible">Runs once the outcome is decided but before any client can see it (the request index).</param>
    public bool TryComplete(AudioOutput output, Action<QueuedRequest, StoredCompletion>? beforeVisible = null) =>
        TryFinish(200, output, null, null, beforeVisible);

    /// <summary>Marks the request COMPLETED with the model's own error answer; false when it already completed.</summary>
    public bool TryReject(ModelRejection rejection, Action<QueuedRequest, StoredCompletion>? beforeVisible = null) =>
        TryFinish(rejection.StatusCode, null, null, null, beforeVisible, rejection);

    /// <summary>Marks the request COMPLETED with fal's error fields; false when it already completed.</summary>
    public bool TryFail(int statusCode, string error, string errorType, Action<QueuedRequest, StoredCompletion>? beforeVisible = null) =>
        TryFinish(statusCode, null, error, errorType, beforeVisible);

    /// <summary>Brings back a request completed before a restart, from the request index.</summary>
    public void Restore(StoredCompletion completion)
    {
        lock (_gate) _logs.AddRange(completion.Logs);
        Apply(completion);
    }

    private bool TryFinish(int statusCode, AudioOutput? output, string? error, string? errorType,
        Action<QueuedRequest, StoredCompletion>? beforeVisible, ModelRejection? rejection = null)
    {
        StoredCompletion completion;
        lock (_gate)
        {
            if (State == RequestState.Completed || _finishing) return false;
            _finishing = true;
            var now = DateTimeOffset.UtcNow;
            completion = new StoredCompletion(StartedAt ?? now, now, statusCode, output, error, errorType, _logs.ToArray(),
                (JsonObject?)rejection?.Body.DeepClone(), rejection?.Retryable ?? false);
        }
        // A client that sees COMPLETED may rely on it surviving a crash (the request index), so that comes first.
        // Once decided, the outcome is made visible even if that step throws: _finishing refuses every later outcome,
        // so without this the request would read IN_PROGRESS forever.
        try { beforeVisible?.Invoke(this, completion); }
        finally
        {
            Apply(completion);
            Changed?.Invoke();
        }
        return true;
    }

    /// <summary>Makes a decided outcome visible: from here on the request reads COMPLETED.</summary>
    private void Apply(StoredCompletion completion)
    {
        lock (_gate)
        {
            StartedAt = completion.StartedAt;
            CompletedAt = completion.CompletedAt;
            ResultStatusCode = completion.ResultStatusCode;
            Output = completion.Output;
            Error = completion.Error;
            ErrorType = completion.ErrorType;
            ErrorBody = completion.ErrorBody;
            Retryable = completion.Retryable;
            State = RequestState.Completed;
        }
        _completed.TrySetResult();
    }
}

public sealed record LogEntry(string Message, string Level, string Source, DateTimeOffset Timestamp);

/// <summary>What the request index keeps of a completed request.</summary>
public sealed record StoredCompletion(
    DateTimeOffset? StartedAt, DateTimeOffset CompletedAt, int ResultStatusCode,
    AudioOutput? Output, string? Error, string? ErrorType, IReadOnlyList<LogEntry> Logs,
    JsonObject? ErrorBody = null, bool Retryable = false);
