namespace Cassette.Synth.Composition.Styles;

/// <summary>
/// One bar of sixteenths per drum: 'X' accent, 'x' ghost, 'O' open hat, 'r' a roll (two 32nds), '.' rest.
/// Backbeat is the snare or clap; Hat is closed hat, ride or shaker as the genre wants; Extra a second colour.
/// </summary>
internal sealed record DrumGroove(
    string Kick,
    string Backbeat,
    string Hat,
    DrumSound BackbeatSound = DrumSound.Snare,
    DrumSound HatSound = DrumSound.ClosedHat,
    string Extra = "................",
    DrumSound ExtraSound = DrumSound.Shaker);
