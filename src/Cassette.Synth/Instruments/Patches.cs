namespace Cassette.Synth.Instruments;

/// <summary>The sound of each pitched instrument. Values follow docs/synth.md; levels are balanced by ear and meter.</summary>
internal static class Patches
{
    public static readonly SubtractivePatch SynthBass = new()
    {
        Oscillators = 2, DetuneCents = 8, SubLevel = 0.5f, CutoffHz = 250, KeyTrack = 2f, EnvelopeOctaves = 2f, FilterDecay = 0.15f,
        Resonance = 0.3f, FourPole = true, Attack = 0.003f, Decay = 0.2f, Sustain = 0.7f, Release = 0.1f, Level = 0.55f,
    };

    public static readonly SubtractivePatch ReeseBass = new()
    {
        Oscillators = 2, DetuneCents = 22, SubLevel = 0.6f, StereoSpread = 0.3f, CutoffHz = 380, KeyTrack = 2f, Resonance = 0.2f,
        FourPole = true, Attack = 0.01f, Decay = 0.5f, Sustain = 0.85f, Release = 0.15f, FilterLfoHz = 0.3f, FilterLfoOctaves = 0.6f, Level = 0.5f,
    };

    public static readonly SubtractivePatch SawLead = new()
    {
        Oscillators = 2, DetuneCents = 14, StereoSpread = 0.2f, CutoffHz = 1800, KeyTrack = 1.5f, EnvelopeOctaves = 1.2f, FilterDecay = 0.25f,
        Resonance = 0.25f, Attack = 0.006f, Decay = 0.3f, Sustain = 0.75f, Release = 0.3f, VibratoHz = 5.5f, VibratoCents = 18, Level = 0.3f,
    };

    public static readonly SubtractivePatch SquareLead = SawLead with { Square = true, Oscillators = 1, CutoffHz = 1400, StereoSpread = 0, Level = 0.28f };

    public static readonly SubtractivePatch Pluck = new()
    {
        Oscillators = 2, DetuneCents = 10, StereoSpread = 0.4f, CutoffHz = 400, KeyTrack = 1f, EnvelopeOctaves = 3.2f, FilterDecay = 0.12f,
        Resonance = 0.3f, Attack = 0.002f, Decay = 0.25f, Sustain = 0f, Release = 0.25f, Level = 0.38f,
    };

    public static readonly SubtractivePatch Supersaw = new()
    {
        Oscillators = 5, DetuneCents = 40, StereoSpread = 0.8f, CutoffHz = 2500, KeyTrack = 1f, Resonance = 0.1f,
        Attack = 0.02f, Decay = 0.5f, Sustain = 0.8f, Release = 0.5f, Level = 0.3f,
    };

    public static readonly SubtractivePatch WarmPad = new()
    {
        Oscillators = 2, DetuneCents = 20, StereoSpread = 1f, CutoffHz = 900, KeyTrack = 0.5f, Resonance = 0.15f,
        Attack = 0.6f, Decay = 1f, Sustain = 0.9f, Release = 1.0f, FilterLfoHz = 0.2f, FilterLfoOctaves = 0.5f, Level = 0.3f,
    };

    public static readonly SubtractivePatch DarkPad = WarmPad with { CutoffHz = 550, DetuneCents = 18, Square = true, Level = 0.3f };

    public static readonly SubtractivePatch Strings = new()
    {
        Oscillators = 3, DetuneCents = 14, StereoSpread = 0.7f, CutoffHz = 1800, KeyTrack = 1.5f, Resonance = 0.1f,
        Attack = 0.03f, Decay = 0.5f, Sustain = 0.9f, Release = 0.6f, VibratoHz = 5.5f, VibratoCents = 12, Level = 0.3f,
    };

    public static readonly SubtractivePatch Choir = Strings with
    {
        Oscillators = 2, StereoSpread = 1f, Square = true, CutoffHz = 1100, KeyTrack = 0.6f, Attack = 0.5f, Release = 1.0f, VibratoHz = 4.8f, VibratoCents = 9, Level = 0.22f,
    };

    public static readonly SubtractivePatch Stab = new()
    {
        Oscillators = 2, DetuneCents = 12, StereoSpread = 0.5f, Square = true, CutoffHz = 700, KeyTrack = 1f, EnvelopeOctaves = 2.2f,
        FilterDecay = 0.08f, Resonance = 0.35f, Attack = 0.002f, Decay = 0.18f, Sustain = 0.2f, Release = 0.15f, Level = 0.38f,
    };

    public static readonly FmPatch ElectricPiano = new()
    {
        Index = 1.6f, IndexDecay = 0.5f, SecondLevel = 0.5f, SecondModulatorRatio = 14f, SecondIndex = 1.4f, SecondDecay = 0.03f,
        Attack = 0.002f, Decay = 2.5f, Release = 0.3f, TremoloHz = 4.5f, TremoloDepth = 0.12f, Level = 0.33f,
    };

    // Classic FM bells use 1:1.4, whose strongest sideband sits a minor third above the octave: loud enough to
    // pull a major key towards minor. A harmonic 1:2 pair with a fast-decaying 1:7 shimmer keeps the bell's
    // attack and decay without taking sides on the mode.
    public static readonly FmPatch Bells = new()
    {
        ModulatorRatio = 2f, Index = 5f, IndexDecay = 0.5f, SecondLevel = 0.25f, SecondCarrierRatio = 1f, SecondModulatorRatio = 7f,
        SecondIndex = 2f, SecondDecay = 0.05f, Attack = 0.001f, Decay = 1.8f, Release = 0.8f, Level = 0.22f,
    };

    public static readonly FmPatch Brass = new()
    {
        Index = 3.5f, IndexFollowsEnvelope = true, Attack = 0.05f, Decay = 0.4f, Sustain = 0.8f, Release = 0.2f,
        VibratoHz = 5f, VibratoCents = 10, ScoopCents = 30, Level = 0.28f,
    };

    public static readonly FmPatch Saxophone = Brass with { ModulatorRatio = 2f, Index = 2.4f, Attack = 0.03f, VibratoCents = 16, ScoopCents = 40, Level = 0.27f };

    public static readonly FmPatch Clav = new()
    {
        ModulatorRatio = 3f, Index = 3f, IndexDecay = 0.08f, Attack = 0.001f, Decay = 0.35f, Release = 0.08f, Level = 0.28f,
    };

    public static readonly FmPatch Flute = new()
    {
        ModulatorRatio = 1f, Index = 0.5f, IndexFollowsEnvelope = true, Attack = 0.06f, Decay = 0.5f, Sustain = 0.85f, Release = 0.2f,
        VibratoHz = 5f, VibratoCents = 12, Level = 0.3f,
    };

    public static readonly ModalPatch Piano = new()
    {
        Partials = 8, Stiffness = 0.0003f, Amplitudes = [1f, 0.55f, 0.35f, 0.22f, 0.15f, 0.1f, 0.07f, 0.02f], DecaySeconds = 3.5f,
        DecaySlope = 0.35f, Release = 0.35f, NoiseLevel = 0.08f, VelocityBrightness = 0.8f, Level = 0.32f,
    };

    public static readonly ModalPatch Marimba = new()
    {
        Ratios = [1f, 3.93f, 9.87f], Amplitudes = [1f, 0.35f, 0.12f], DecaySeconds = 0.6f, DecaySlope = 1.5f, Release = 0.15f,
        NoiseLevel = 0.04f, Level = 0.35f,
    };

    public static readonly ModalPatch Vibraphone = new()
    {
        Ratios = [1f, 3.98f, 9.0f], Amplitudes = [1f, 0.25f, 0.08f], DecaySeconds = 2.5f, DecaySlope = 1f, Release = 0.8f,
        TremoloHz = 5.5f, TremoloDepth = 0.3f, Level = 0.3f,
    };

    public static readonly ModalPatch Organ = new()
    {
        // Drawbars 8', 4', 2 2/3', 2' and 16' as additive sines that do not decay.
        Ratios = [1f, 2f, 3f, 4f, 0.5f], Amplitudes = [1f, 0.6f, 0.45f, 0.3f, 0.4f], DecaySeconds = 0f, Attack = 0.006f, Release = 0.08f,
        VelocityBrightness = 0f, Level = 0.2f,
    };

    public static readonly PluckedStringPatch AcousticGuitar = new() { RingSeconds = 2.5f, Damping = 0.5f, PickSoftness = 0.45f, PickPosition = 0.18f, ToneHz = 4000, Level = 0.32f };
    public static readonly PluckedStringPatch CleanGuitar = new() { RingSeconds = 1.6f, Damping = 0.45f, PickSoftness = 0.3f, PickPosition = 0.13f, Release = 0.02f, ToneHz = 6000, Level = 0.3f };
    public static readonly PluckedStringPatch DrivenGuitar = new() { RingSeconds = 3f, Damping = 0.5f, PickSoftness = 0.5f, PickPosition = 0.2f, Release = 0.03f, Level = 0.3f };
    public static readonly PluckedStringPatch FingerBass = new() { RingSeconds = 2.5f, Damping = 0.6f, PickSoftness = 0.85f, PickPosition = 0.25f, Release = 0.04f, ToneHz = 1800, Level = 0.6f };
    public static readonly PluckedStringPatch UprightBass = new() { RingSeconds = 1.2f, Damping = 0.65f, PickSoftness = 0.9f, PickPosition = 0.3f, Release = 0.05f, ToneHz = 1200, Level = 0.65f };
    public static readonly PluckedStringPatch PickBass = new() { RingSeconds = 2f, Damping = 0.5f, PickSoftness = 0.6f, PickPosition = 0.15f, Release = 0.03f, ToneHz = 2000, Level = 0.55f };

    public static readonly SineBassPatch SubBass = new() { SecondHarmonic = 0.2f, Drive = 1.5f, Release = 0.1f, Level = 0.5f };
    public static readonly SineBassPatch Bass808 = new()
    {
        SecondHarmonic = 0.1f, DropFrom = 1.6f, DropSeconds = 0.03f, Attack = 0.002f, Decay = 0.9f, Sustain = 0.15f, Release = 0.2f, Drive = 2.2f, Level = 0.55f,
    };
}
