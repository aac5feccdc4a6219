namespace Cassette.LocalEngine.Queue;

/// <summary>The three statuses fal exposes; failures and cancellations are COMPLETED with an error.</summary>
public enum RequestState
{
    InQueue,
    InProgress,
    Completed,
}
