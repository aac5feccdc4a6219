namespace Cassette.Synth.Composition.Styles;

/// <summary>How the chord instrument plays the harmony.</summary>
internal enum CompStyle
{
    Sustain,
    QuarterPulse,
    EighthPulse,
    OffbeatStabs,
    Skank,
    Charleston,
    Strum,
    PowerEighths,
    FunkChops,
    BrokenChord,
    LazyPush,
}
