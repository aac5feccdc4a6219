namespace Cassette.LocalEngine;

/// <summary>Engine settings, bound from the command line (--Workers 4) and from CASSETTE_ENGINE_* variables.</summary>
public sealed class EngineOptions
{
    /// <summary>When set, only requests with "Authorization: Key &lt;ApiKey&gt;" are accepted.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many requests run at once (fal's per-user concurrency limit).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Folder for generated audio and the request index, used by one engine at a time (a second one is refused); a temporary folder (removed on shutdown) when empty.</summary>
    public string? StorageFolder { get; set; }

    /// <summary>Server time every request takes at least, in seconds (realistic timing for benchmarks and tests).</summary>
    public double ProcessingSeconds { get; set; }

    /// <summary>Extra server time per second of requested audio, in seconds.</summary>
    public double ProcessingSecondsPerAudioSecond { get; set; }

    /// <summary>
    /// Every request gets one pre-rendered clip looped to its duration instead of a fresh render (see
    /// <see cref="Queue.LoopedClip"/>): for benchmarks, where only the server time should count.
    /// </summary>
    public bool BenchmarkAudio { get; set; }

    /// <summary>How long a completed request's result JSON is kept (status, result and cancel answer until then); fal: 1 h.</summary>
    public TimeSpan ResultRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a result of <see cref="LargeResultBytes"/> or more is kept instead; fal: 6 min.</summary>
    public TimeSpan LargeResultRetention { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>From this size (of the result JSON, in bytes) a result counts as large; fal: 10 KB.</summary>
    public long LargeResultBytes { get; set; } = 10 * 1024;

    /// <summary>How long output files are served after completion; fal's CDN keeps them at least 7 days.</summary>
    public TimeSpan FileRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Deliveries tried per webhook before giving up; fal: the first and "10 retries in the span of 2 hours".</summary>
    public int WebhookAttempts { get; set; } = 11;

    /// <summary>
    /// Wait before the first webhook retry; it doubles after each failed attempt. 7 s makes fal's 10 retries span
    /// about 2 hours (7 s x (2^10 - 1) = 1 h 59 min); fal does not publish its intervals.
    /// </summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(7);

    /// <summary>How long one delivery may take before it counts as failed (fal does not publish it).</summary>
    public TimeSpan WebhookAttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Time between ": ping" comments on a quiet status stream (fal: about 15 s); zero turns pings off.</summary>
    public TimeSpan StreamPingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The runner ignores cancels of running requests, as a fal model app may: the cancel answers 202
    /// CANCELLATION_REQUESTED at once and the request completes normally. Waiting requests still leave the queue.
    /// </summary>
    public bool IgnoreCancel { get; set; }

    /// <summary>
    /// Comma-separated keys of accounts whose balance is exhausted: accepted like the ApiKey, but their submissions
    /// answer fal's 403 "User is locked", while status, result and cancel still answer.
    /// </summary>
    public string? LockedKeys { get; set; }

    /// <summary>The largest submission body accepted, in bytes; larger ones answer 413 without being read.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Maps the /_engine/faults control API, so tests can make chosen calls misbehave.</summary>
    public bool EnableFaultInjection { get; set; }

    /// <summary>A JSON array of fault rules active from start-up.</summary>
    public string? Faults { get; set; }
}
