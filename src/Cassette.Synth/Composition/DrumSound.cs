namespace Cassette.Synth.Composition;

/// <summary>The pieces of a drum kit; a drum part's notes carry one of these as their pitch.</summary>
internal enum DrumSound
{
    Kick,
    Snare,
    Clap,
    ClosedHat,
    OpenHat,
    Ride,
    Crash,
    LowTom,
    HighTom,
    Shaker,
    Rim,
    Riser,
}
