namespace Cassette.LocalEngine.Queue;

/// <summary>fal's X-Fal-Queue-Priority: low requests wait behind every normal one.</summary>
public enum QueuePriority
{
    Normal,
    Low,
}
