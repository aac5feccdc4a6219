using Cassette.Synth.Instruments;

namespace Cassette.Synth.Composition.Styles;

/// <summary>
/// A genre's recipe: groove, instruments per role, progressions (verse A and chorus B, per mode) and mix choices.
/// Progressions are the ones that kept their key under the key detector in all twelve tonics (see docs/synth.md).
/// </summary>
internal sealed record GenreStyle
{
    public required double Swing { get; init; }
    public bool SwingEighths { get; init; }
    public required InstrumentKind Kit { get; init; }
    public required DrumGroove Groove { get; init; }
    public required BassStyle BassStyle { get; init; }
    public required InstrumentKind Bass { get; init; }
    public required CompStyle Comp { get; init; }
    public required InstrumentKind Chords { get; init; }
    public InstrumentKind? Pad { get; init; }
    public InstrumentKind? Lead { get; init; }
    /// <summary>Notes per beat the melody aims for (0.5 sparse … 2 busy).</summary>
    public double MelodyDensity { get; init; } = 1;
    public InstrumentKind? Arp { get; init; }
    /// <summary>A quiet chord-tone note on every beat, where the groove alone would read at half tempo.</summary>
    public InstrumentKind? Pulse { get; init; }
    public required string[] MinorA { get; init; }
    public required string[] MinorB { get; init; }
    public required string[] MajorA { get; init; }
    public required string[] MajorB { get; init; }
    public float DrumsGainDb { get; init; }
    public float BassGainDb { get; init; } = -3f;
    public float ChordsGainDb { get; init; } = -8f;
    public float PulseGainDb { get; init; } = -9f;
    public float PadGainDb { get; init; } = -15f;
    public double TargetLufs { get; init; } = -12.5;
    public float ReverbSize { get; init; } = 0.6f;
    public float ReverbReturn { get; init; } = 0.25f;
    public float Sidechain { get; init; }
    public bool Vinyl { get; init; }
    public bool Riser { get; init; }
    /// <summary>Beats between delay repeats (0.75 = dotted eighth).</summary>
    public double DelayBeats { get; init; } = 0.75;
}
