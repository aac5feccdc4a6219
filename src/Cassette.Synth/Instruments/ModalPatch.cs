namespace Cassette.Synth.Instruments;

/// <summary>
/// A bank of decaying sine partials: piano (stretched harmonics), mallets (1 : 4 : 10), organ (drawbars that do
/// not decay). Ratios and amplitudes are per partial; decay shortens with partial number.
/// </summary>
internal sealed record ModalPatch
{
    /// <summary>Partial frequency ratios; when empty, harmonics n·√(1 + B·n²) with B = <see cref="Stiffness"/>.</summary>
    public float[] Ratios { get; init; } = [];
    public float[] Amplitudes { get; init; } = [];
    public int Partials { get; init; } = 8;
    public float Stiffness { get; init; }
    /// <summary>Decay time constant of the first partial, in seconds, for a note at middle C (lower notes ring longer).</summary>
    public float DecaySeconds { get; init; } = 3f;
    /// <summary>τ_n = τ_1 / (1 + DecaySlope·(n − 1)).</summary>
    public float DecaySlope { get; init; } = 0.3f;
    public float Attack { get; init; } = 0.002f;
    public float Release { get; init; } = 0.12f;
    /// <summary>Velocity darkens soft notes by tilting amplitudes down this much per partial.</summary>
    public float VelocityBrightness { get; init; } = 0.5f;
    public float NoiseLevel { get; init; }
    public float TremoloHz { get; init; }
    public float TremoloDepth { get; init; }
    public float Level { get; init; } = 0.3f;
}
