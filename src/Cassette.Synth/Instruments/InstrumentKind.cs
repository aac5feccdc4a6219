namespace Cassette.Synth.Instruments;

/// <summary>Every sound the renderer can make. Drum kits are instruments whose notes are drum sounds.</summary>
internal enum InstrumentKind
{
    DrumsElectronic808,
    DrumsElectronic909,
    DrumsAcoustic,
    DrumsBrushes,
    DrumsDusty,
    DrumsTaiko,

    SubBass,
    Bass808,
    SynthBass,
    ReeseBass,
    FingerBass,
    UprightBass,
    PickBass,

    Piano,
    ElectricPiano,
    Organ,
    Clav,

    AcousticGuitar,
    CleanGuitar,
    DrivenGuitar,

    Strings,
    Brass,
    Saxophone,
    Flute,
    Choir,

    Bells,
    Marimba,
    Vibraphone,

    SawLead,
    SquareLead,
    Pluck,
    Supersaw,
    WarmPad,
    DarkPad,
    Stab,

    Vinyl,
}
