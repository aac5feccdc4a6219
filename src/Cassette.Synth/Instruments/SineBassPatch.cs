namespace Cassette.Synth.Instruments;

/// <summary>Sub and 808 basses: a sine with some second harmonic, an optional pitch drop and saturation.</summary>
internal sealed record SineBassPatch
{
    public float SecondHarmonic { get; init; } = 0.15f;
    /// <summary>Starting pitch as a multiple of the note (808 thump), falling with <see cref="DropSeconds"/>.</summary>
    public float DropFrom { get; init; } = 1f;
    public float DropSeconds { get; init; } = 0.03f;
    public float Attack { get; init; } = 0.005f;
    public float Decay { get; init; }
    public float Sustain { get; init; } = 1f;
    public float Release { get; init; } = 0.04f;
    /// <summary>tanh drive: adds harmonics so a sub is heard on small speakers.</summary>
    public float Drive { get; init; } = 1f;
    public float Level { get; init; } = 0.45f;
}
