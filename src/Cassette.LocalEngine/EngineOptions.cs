namespace Cassette.LocalEngine;

/// <summary>Engine settings, bound from the command line (--Workers 4) and from CASSETTE_ENGINE_* variables.</summary>
public sealed class EngineOptions
{
    /// <summary>When set, only requests with "Authorization: Key &lt;ApiKey&gt;" are accepted.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many requests run at once (fal's per-user concurrency limit).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Folder for generated audio and the request index; a temporary folder (removed on shutdown) when empty.</summary>
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

    /// <summary>How long results and files are kept after completion.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries tried per webhook before giving up.</summary>
    public int WebhookAttempts { get; set; } = 5;

    /// <summary>Wait before the first webhook retry; it doubles after each failed attempt.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Maps the /_engine/faults control API, so tests can make chosen calls misbehave.</summary>
    public bool EnableFaultInjection { get; set; }

    /// <summary>A JSON array of fault rules active from start-up.</summary>
    public string? Faults { get; set; }
}
