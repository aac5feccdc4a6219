namespace Cassette.Synth.Prompt;

/// <summary>
/// The styles the composer knows (the sixteen of the issue, with lo-fi split from hip-hop); each has its own
/// drums, bass, harmony, instruments and groove.
/// </summary>
public enum Genre
{
    HipHop,
    LoFi,
    Trap,
    House,
    Techno,
    Trance,
    DrumAndBass,
    Synthwave,
    Pop,
    Rock,
    Funk,
    Reggae,
    Jazz,
    Ambient,
    Cinematic,
    SoloPiano,
    Folk,
}
