namespace Cassette.Synth.Prompt;

/// <summary>Instruments a prompt can ask for by name; they replace the genre's own choice for the same role.</summary>
public enum InstrumentWord
{
    Piano,
    ElectricPiano,
    Organ,
    AcousticGuitar,
    ElectricGuitar,
    Strings,
    Brass,
    Saxophone,
    Flute,
    Bells,
    Marimba,
    Vibraphone,
    SynthLead,
    Pad,
    Pluck,
    Choir,
    Bass808,
}
