namespace Cassette.LocalEngine.Queue;

/// <summary>
/// The requests waiting for a worker (normal priority ahead of low, FIFO within each), and the index of every
/// request the engine knows until retention forgets it.
/// </summary>
public sealed class RequestQueue
{
    public const string CancelledMessage = "The request was cancelled.";
    public const string StartTimeoutMessage = "The request could not start before its X-Fal-Request-Timeout.";

    private readonly object _gate = new();
    private readonly List<QueuedRequest> _normal = new();
    private readonly List<QueuedRequest> _low = new();
    private readonly Dictionary<string, QueuedRequest> _all = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Timer> _deadlines = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);

    /// <summary>Raised once per request when it becomes COMPLETED, whatever completed it.</summary>
    public event Action<QueuedRequest>? Finished;

    /// <summary>Raised when a request's outcome is decided, before any client can see it: for what must be durable first.</summary>
    public event Action<QueuedRequest, StoredCompletion>? Completing;

    /// <summary>
    /// Adds a request at the back of its priority's queue and returns how many requests are ahead of it, or null
    /// (nothing queued) when <paramref name="maxWaiting"/> requests of the same model are already waiting.
    /// </summary>
    public int? TryEnqueue(QueuedRequest request, int? maxWaiting = null)
    {
        int ahead;
        lock (_gate)
        {
            if (maxWaiting is { } max && WaitingFor(request.AppPath) >= max)
                return null;
            _all[request.Id] = request;
            (request.Priority == QueuePriority.Low ? _low : _normal).Add(request);
            ahead = PositionLocked(request)!.Value;
            if (request.StartTimeout is { } timeout)
                _deadlines[request.Id] = new Timer(_ => ExpireIfWaiting(request), null, timeout, Timeout.InfiniteTimeSpan);
        }
        _available.Release();
        // A normal request overtakes every low one, whose streams then show their new position.
        if (request.Priority == QueuePriority.Normal) NotifyWaiting();
        return ahead;
    }

    /// <summary>Registers a request completed before a restart.</summary>
    public void Restore(QueuedRequest request)
    {
        lock (_gate) _all[request.Id] = request;
    }

    public QueuedRequest? Find(string id)
    {
        lock (_gate) return _all.TryGetValue(id, out var request) ? request : null;
    }

    /// <summary>Requests ahead of this one (0-based), or null when it is no longer waiting.</summary>
    public int? PositionOf(QueuedRequest request)
    {
        lock (_gate) return PositionLocked(request);
    }

    public async Task<QueuedRequest> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            QueuedRequest? next = null;
            lock (_gate)
            {
                var source = _normal.Count > 0 ? _normal : _low;
                if (source.Count > 0)
                {
                    next = source[0];
                    source.RemoveAt(0);
                    ClearDeadlineLocked(next.Id);
                }
            }
            if (next is not null)
            {
                NotifyWaiting();
                return next;
            }
            // A cancelled or expired request left the queue after its signal was released; wait for the next one.
        }
    }

    /// <summary>Cancels a request: a waiting one leaves the queue at once, a running one is told through its token.</summary>
    public void Cancel(QueuedRequest request)
    {
        if (TryRemoveWaiting(request))
            Fail(request, 499, CancelledMessage, "client_cancelled");
        else
            request.Cancellation.Cancel();
    }

    /// <summary>Completes a rendered request; false when its file is not kept (a cancel or deadline won, or the model rejects it).</summary>
    public bool Complete(QueuedRequest request, AudioOutput output)
    {
        if (request.Rejection is { } rejection)
        {
            // The runner spent the time, but the model's answer is the error: no file is kept.
            if (request.TryReject(rejection, Completing)) Finished?.Invoke(request);
            return false;
        }
        if (!request.TryComplete(output, Completing)) return false;
        Finished?.Invoke(request);
        return true;
    }

    public bool Fail(QueuedRequest request, int statusCode, string error, string errorType)
    {
        if (!request.TryFail(statusCode, error, errorType, Completing)) return false;
        Finished?.Invoke(request);
        return true;
    }

    public void Forget(string id)
    {
        lock (_gate) _all.Remove(id);
    }

    public IReadOnlyList<QueuedRequest> Snapshot()
    {
        lock (_gate) return _all.Values.ToArray();
    }

    private bool TryRemoveWaiting(QueuedRequest request)
    {
        bool removed;
        lock (_gate)
        {
            removed = _normal.Remove(request) || _low.Remove(request);
            if (removed) ClearDeadlineLocked(request.Id);
        }
        if (removed) NotifyWaiting();
        return removed;
    }

    private void ExpireIfWaiting(QueuedRequest request)
    {
        if (TryRemoveWaiting(request))
            Fail(request, 504, StartTimeoutMessage, "request_timeout");
    }

    private int? PositionLocked(QueuedRequest request)
    {
        int index = _normal.IndexOf(request);
        if (index >= 0) return index;
        index = _low.IndexOf(request);
        return index < 0 ? null : _normal.Count + index;
    }

    private int WaitingFor(string appPath) =>
        _normal.Count(r => string.Equals(r.AppPath, appPath, StringComparison.OrdinalIgnoreCase)) +
        _low.Count(r => string.Equals(r.AppPath, appPath, StringComparison.OrdinalIgnoreCase));

    private void ClearDeadlineLocked(string id)
    {
        if (_deadlines.Remove(id, out var timer)) timer.Dispose();
    }

    /// <summary>Positions of every waiting request may have moved, so their status streams re-send.</summary>
    private void NotifyWaiting()
    {
        QueuedRequest[] waiting;
        lock (_gate) waiting = [.. _normal, .. _low];
        foreach (var request in waiting) request.NotifyChanged();
    }
}
