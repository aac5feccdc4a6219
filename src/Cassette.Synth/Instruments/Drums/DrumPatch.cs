namespace Cassette.Synth.Instruments.Drums;

/// <summary>How a noise source is filtered in a drum sound.</summary>
internal enum NoiseFilter
{
    HighPass,
    BandPass,
    LowPass,
}

/// <summary>
/// One drum sound as a sum of parts that real drum machines use: a pitched body that drops in pitch, a second mode,
/// filtered noise (or six detuned squares for metal), hand-clap bursts and a beater click.
/// </summary>
internal sealed record DrumPatch
{
    public float ToneHz { get; init; }
    public float DropFrom { get; init; } = 1f;
    public float DropSeconds { get; init; } = 0.02f;
    public float ToneDecay { get; init; } = 0.15f;
    public float ToneLevel { get; init; }
    public float ModeRatio { get; init; } = 1.5f;
    public float ModeLevel { get; init; }
    public float ModeDecay { get; init; } = 0.08f;
    public float NoiseLevel { get; init; }
    public float NoiseDecay { get; init; } = 0.1f;
    public NoiseFilter Filter { get; init; } = NoiseFilter.HighPass;
    public float NoiseHz { get; init; } = 2000f;
    public float NoiseResonance { get; init; } = 0.2f;
    /// <summary>Six squares at the TR-808 cymbal frequencies instead of white noise.</summary>
    public bool Metallic { get; init; }
    /// <summary>Clap: extra noise bursts this far apart before the tail.</summary>
    public int Bursts { get; init; }
    public float BurstSpacing { get; init; } = 0.01f;
    public float ClickLevel { get; init; }
    public float Attack { get; init; } = 0.001f;
    public float Drive { get; init; } = 1f;
    public float Level { get; init; } = 0.5f;
}
