namespace Cassette.LocalEngine.Queue;

/// <summary>The FIFO of requests waiting for a worker, and the index of every request the engine knows.</summary>
public sealed class RequestQueue
{
    private readonly object _gate = new();
    private readonly List<QueuedRequest> _waiting = new();
    private readonly Dictionary<string, QueuedRequest> _all = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);

    /// <summary>Adds a request at the back of the queue and returns how many requests are ahead of it.</summary>
    public int Enqueue(QueuedRequest request)
    {
        int ahead;
        lock (_gate)
        {
            _all[request.Id] = request;
            ahead = _waiting.Count;
            _waiting.Add(request);
        }
        _available.Release();
        return ahead;
    }

    public QueuedRequest? Find(string id)
    {
        lock (_gate) return _all.TryGetValue(id, out var request) ? request : null;
    }

    /// <summary>Requests ahead of this one (0-based), or null when it is no longer waiting.</summary>
    public int? PositionOf(QueuedRequest request)
    {
        lock (_gate)
        {
            int index = _waiting.IndexOf(request);
            return index < 0 ? null : index;
        }
    }

    /// <summary>Takes a waiting request out of the queue; false when a worker already has it.</summary>
    public bool TryRemoveWaiting(QueuedRequest request)
    {
        lock (_gate) return _waiting.Remove(request);
    }

    public async Task<QueuedRequest> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            QueuedRequest? next = null;
            lock (_gate)
            {
                if (_waiting.Count > 0)
                {
                    next = _waiting[0];
                    _waiting.RemoveAt(0);
                }
            }
            if (next is not null)
            {
                NotifyPositionsChanged();
                return next;
            }
            // A cancelled request left the queue after its signal was released; wait for the next one.
        }
    }

    public void Forget(string id)
    {
        lock (_gate) _all.Remove(id);
    }

    public IReadOnlyList<QueuedRequest> Snapshot()
    {
        lock (_gate) return _all.Values.ToArray();
    }

    private void NotifyPositionsChanged()
    {
        QueuedRequest[] waiting;
        lock (_gate) waiting = _waiting.ToArray();
        foreach (var request in waiting) request.NotifyChanged();
    }
}
