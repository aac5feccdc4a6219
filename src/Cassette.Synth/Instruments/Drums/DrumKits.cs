using Cassette.Synth.Composition;

namespace Cassette.Synth.Instruments.Drums;

/// <summary>
/// The kits: 808, 909, acoustic, brushes, dusty (lo-fi/hip-hop) and taiko. Kicks die within about 150 ms so
/// their pitch does not pull the key; the long-ringing taiko is tuned to the tonic for the same reason.
/// </summary>
internal static class DrumKits
{
    /// <summary>Where each piece sits: hats and shaker right of centre, cymbals and toms spread, kick and snare centred.</summary>
    public static float Placement(DrumSound sound) => sound switch
    {
        DrumSound.ClosedHat or DrumSound.OpenHat or DrumSound.Shaker => 0.3f,
        DrumSound.Ride => -0.25f,
        DrumSound.Crash => -0.35f,
        DrumSound.HighTom => -0.3f,
        DrumSound.LowTom => 0.3f,
        _ => 0f,
    };

    public static DrumPatch Patch(InstrumentKind kit, DrumSound sound, float tonicHz) => kit switch
    {
        InstrumentKind.DrumsElectronic808 => Electronic808(sound),
        InstrumentKind.DrumsElectronic909 => Electronic909(sound),
        InstrumentKind.DrumsBrushes => Brushes(sound),
        InstrumentKind.DrumsDusty => Dusty(sound),
        InstrumentKind.DrumsTaiko => Taiko(sound, tonicHz),
        _ => Acoustic(sound),
    };

    private static readonly DrumPatch Hat = new() { Metallic = true, NoiseLevel = 1f, NoiseHz = 8000, NoiseDecay = 0.035f, Level = 0.2f };
    private static readonly DrumPatch NoiseHat = new() { NoiseLevel = 1f, NoiseHz = 7500, NoiseDecay = 0.03f, Level = 0.17f };
    // Long cymbals use filtered noise rather than the six squares: they ring for seconds, and noise is a third of the cost.
    private static readonly DrumPatch Crash = new() { NoiseLevel = 1f, NoiseHz = 4500, NoiseDecay = 0.7f, ToneHz = 5200, ToneLevel = 0.1f, ToneDecay = 0.15f, Level = 0.15f, Attack = 0.002f };
    private static readonly DrumPatch Ride = new() { NoiseLevel = 1f, NoiseHz = 6000, NoiseDecay = 0.3f, ToneHz = 3100, ToneLevel = 0.2f, ToneDecay = 0.25f, Level = 0.14f };
    private static readonly DrumPatch Shaker = new() { NoiseLevel = 1f, Filter = NoiseFilter.BandPass, NoiseHz = 6500, NoiseResonance = 0.3f, NoiseDecay = 0.03f, Attack = 0.006f, Level = 0.16f };
    private static readonly DrumPatch Rim = new() { ToneHz = 1700, ToneLevel = 0.8f, ToneDecay = 0.012f, NoiseLevel = 0.4f, Filter = NoiseFilter.BandPass, NoiseHz = 2500, NoiseDecay = 0.01f, Level = 0.35f };
    private static readonly DrumPatch Riser = new() { NoiseLevel = 0f, Level = 0f };

    private static DrumPatch Toms(DrumSound sound, float hz) => new()
    {
        ToneHz = sound == DrumSound.HighTom ? hz * 1.5f : hz, DropFrom = 1.4f, DropSeconds = 0.03f, ToneLevel = 1f, ToneDecay = 0.25f,
        NoiseLevel = 0.15f, Filter = NoiseFilter.LowPass, NoiseHz = 1500, NoiseDecay = 0.05f, Level = 0.5f,
    };

    private static DrumPatch Common(DrumSound sound) => sound switch
    {
        DrumSound.OpenHat => Hat with { NoiseDecay = 0.28f, Level = 0.15f },
        DrumSound.Crash => Crash,
        DrumSound.Ride => Ride,
        DrumSound.Shaker => Shaker,
        DrumSound.Rim => Rim,
        DrumSound.LowTom or DrumSound.HighTom => Toms(sound, 110),
        DrumSound.Riser => Riser,
        _ => Hat,
    };

    private static DrumPatch Electronic808(DrumSound sound) => sound switch
    {
        DrumSound.Kick => new() { ToneHz = 52, DropFrom = 3.5f, DropSeconds = 0.025f, ToneLevel = 1f, ToneDecay = 0.16f, ClickLevel = 0.15f, Drive = 1.6f, Level = 0.95f },
        DrumSound.Snare => new() { ToneHz = 185, ModeRatio = 1.78f, ToneLevel = 0.5f, ModeLevel = 0.3f, ToneDecay = 0.08f, NoiseLevel = 0.7f, NoiseHz = 1800, NoiseDecay = 0.15f, Level = 0.6f },
        DrumSound.Clap => new() { NoiseLevel = 1f, Filter = NoiseFilter.BandPass, NoiseHz = 1200, NoiseResonance = 0.35f, NoiseDecay = 0.13f, Bursts = 3, Level = 0.75f },
        _ => Common(sound),
    };

    private static DrumPatch Electronic909(DrumSound sound) => sound switch
    {
        DrumSound.Kick => new() { ToneHz = 55, DropFrom = 4f, DropSeconds = 0.02f, ToneLevel = 1f, ToneDecay = 0.14f, ClickLevel = 0.18f, Drive = 1.8f, Level = 0.95f },
        DrumSound.Snare => new() { ToneHz = 190, ModeRatio = 1.75f, ToneLevel = 0.45f, ModeLevel = 0.3f, ToneDecay = 0.07f, NoiseLevel = 0.7f, NoiseHz = 2000, NoiseDecay = 0.16f, Level = 0.6f },
        DrumSound.Clap => new() { NoiseLevel = 1f, Filter = NoiseFilter.BandPass, NoiseHz = 1300, NoiseResonance = 0.35f, NoiseDecay = 0.12f, Bursts = 3, Level = 0.75f },
        DrumSound.ClosedHat => NoiseHat,
        DrumSound.OpenHat => NoiseHat with { NoiseDecay = 0.25f, Level = 0.13f },
        _ => Common(sound),
    };

    private static DrumPatch Acoustic(DrumSound sound) => sound switch
    {
        DrumSound.Kick => new() { ToneHz = 62, DropFrom = 2f, DropSeconds = 0.012f, ToneLevel = 1f, ToneDecay = 0.12f, ModeRatio = 1.5f, ModeLevel = 0.25f, ModeDecay = 0.06f, ClickLevel = 0.15f, Level = 0.95f },
        DrumSound.Snare => new() { ToneHz = 190, ModeRatio = 1.74f, ToneLevel = 0.45f, ModeLevel = 0.25f, ToneDecay = 0.08f, NoiseLevel = 0.6f, NoiseHz = 1800, NoiseDecay = 0.17f, ClickLevel = 0.1f, Level = 0.62f },
        DrumSound.Clap => Electronic808(sound),
        DrumSound.ClosedHat => NoiseHat with { NoiseDecay = 0.035f, Level = 0.16f },
        _ => Common(sound),
    };

    private static DrumPatch Brushes(DrumSound sound) => sound switch
    {
        DrumSound.Kick => Acoustic(sound) with { ClickLevel = 0.05f, ToneDecay = 0.1f, Level = 0.7f },
        DrumSound.Snare => new() { NoiseLevel = 1f, Filter = NoiseFilter.BandPass, NoiseHz = 3500, NoiseResonance = 0.1f, NoiseDecay = 0.14f, Attack = 0.008f, ToneHz = 200, ToneLevel = 0.2f, ToneDecay = 0.05f, Level = 0.5f },
        DrumSound.ClosedHat => NoiseHat with { NoiseDecay = 0.025f, Level = 0.12f },
        _ => Common(sound),
    };

    private static DrumPatch Dusty(DrumSound sound) => sound switch
    {
        DrumSound.Kick => new() { ToneHz = 58, DropFrom = 2.5f, DropSeconds = 0.015f, ToneLevel = 1f, ToneDecay = 0.14f, ClickLevel = 0.2f, Drive = 2f, Level = 0.95f },
        DrumSound.Snare => new() { ToneHz = 180, ModeRatio = 1.7f, ToneLevel = 0.5f, ModeLevel = 0.25f, ToneDecay = 0.09f, NoiseLevel = 0.9f, Filter = NoiseFilter.BandPass, NoiseHz = 2500, NoiseResonance = 0.05f, NoiseDecay = 0.16f, Level = 0.62f },
        DrumSound.ClosedHat => NoiseHat with { Filter = NoiseFilter.BandPass, NoiseHz = 7000, NoiseResonance = 0.2f, NoiseDecay = 0.03f, Level = 0.15f },
        _ => Common(sound),
    };

    private static DrumPatch Taiko(DrumSound sound, float tonicHz) => sound switch
    {
        DrumSound.Kick => new()
        {
            ToneHz = tonicHz, DropFrom = 1.5f, DropSeconds = 0.04f, ToneLevel = 1f, ToneDecay = 0.3f,
            NoiseLevel = 0.35f, Filter = NoiseFilter.LowPass, NoiseHz = 900, NoiseDecay = 0.06f, Attack = 0.002f, Level = 0.9f,
        },
        DrumSound.HighTom or DrumSound.LowTom => Toms(sound, tonicHz * 2),
        DrumSound.Snare => Rim with { Level = 0.3f },
        _ => Common(sound),
    };
}
