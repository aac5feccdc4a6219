namespace Cassette.LocalEngine;

/// <summary>Engine settings, bound from the command line (--Workers 4) and from CASSETTE_ENGINE_* variables.</summary>
public sealed class EngineOptions
{
    /// <summary>When set, only requests with "Authorization: Key &lt;ApiKey&gt;" are accepted.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many requests run at once (fal's per-user concurrency limit).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Folder for generated audio; a temporary folder (removed on shutdown) when empty.</summary>
    public string? StorageFolder { get; set; }

    /// <summary>Server time every request takes at least, in seconds (realistic timing for benchmarks and tests).</summary>
    public double ProcessingSeconds { get; set; }

    /// <summary>Extra server time per second of requested audio, in seconds.</summary>
    public double ProcessingSecondsPerAudioSecond { get; set; }

    /// <summary>How long results and files are kept after completion.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);
}
