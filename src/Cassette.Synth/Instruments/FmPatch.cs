namespace Cassette.Synth.Instruments;

/// <summary>
/// Two-operator FM pairs: a body pair and an optional second pair (the electric piano's tine). Indices decay with
/// their own time constants, or follow the amplitude envelope (brass brightens as it gets louder).
/// </summary>
internal sealed record FmPatch
{
    public float CarrierRatio { get; init; } = 1f;
    public float ModulatorRatio { get; init; } = 1f;
    public float Index { get; init; } = 1f;
    public float IndexDecay { get; init; } = 0.5f;
    public bool IndexFollowsEnvelope { get; init; }
    public float SecondLevel { get; init; }
    public float SecondCarrierRatio { get; init; } = 1f;
    public float SecondModulatorRatio { get; init; } = 14f;
    public float SecondIndex { get; init; } = 1f;
    public float SecondDecay { get; init; } = 0.03f;
    public float Attack { get; init; } = 0.002f;
    public float Decay { get; init; } = 1.5f;
    public float Sustain { get; init; }
    public float Release { get; init; } = 0.15f;
    public float VibratoHz { get; init; }
    public float VibratoCents { get; init; }
    /// <summary>A pitch scoop at the attack (brass), in cents, recovering over 50 ms.</summary>
    public float ScoopCents { get; init; }
    public float TremoloHz { get; init; }
    public float TremoloDepth { get; init; }
    public float Level { get; init; } = 0.3f;
}
