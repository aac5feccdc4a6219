namespace Cassette.Synth.Composition;

/// <summary>
/// The mix-bus choices for a track: target loudness, reverb size and level, delay time, where the final fade starts,
/// and the random seed for everything the renderer randomises (noise, dither).
/// </summary>
internal sealed record MasterSettings(
    double TargetLufs,
    float ReverbSize,
    float ReverbReturn,
    double DelaySeconds,
    int FadeOutStartFrame,
    ulong Seed);
