namespace Cassette.Synth.Instruments;

/// <summary>Settings of the extended Karplus–Strong string: ring time, pluck brightness and position.</summary>
internal sealed record PluckedStringPatch
{
    /// <summary>Seconds to fall 60 dB at middle C; scaled by register.</summary>
    public float RingSeconds { get; init; } = 3f;
    /// <summary>Loss-filter weight S (0.5 = the classic two-point average; lower is brighter).</summary>
    public float Damping { get; init; } = 0.5f;
    /// <summary>Pick-direction low-pass pole, 0 bright … 0.95 dull.</summary>
    public float PickSoftness { get; init; } = 0.5f;
    /// <summary>Where along the string it is plucked (0.1 near the bridge … 0.5 the middle).</summary>
    public float PickPosition { get; init; } = 0.2f;
    public float Release { get; init; } = 0.03f;
    /// <summary>Output low-pass: the body and pickup darken the string (and the noise burst of the pluck).</summary>
    public float ToneHz { get; init; } = 7000f;
    public float Level { get; init; } = 0.35f;
}
