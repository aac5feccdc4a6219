namespace Cassette.Synth.Composition.Styles;

/// <summary>How a bass line moves under the chords.</summary>
internal enum BassStyle
{
    RootQuarters,
    RootEighths,
    OffbeatEighths,
    Rolling,
    Walking,
    Syncopated,
    Octaves,
    FollowKick,
    OneDrop,
    Sustained,
    BoomChick,
}
