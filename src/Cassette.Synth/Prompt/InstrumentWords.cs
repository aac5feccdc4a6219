namespace Cassette.Synth.Prompt;

/// <summary>Words that name an instrument. A bare "guitar" is resolved by the genre (electric in rock and funk).</summary>
internal static class InstrumentWords
{
    public static readonly WordTable<InstrumentWord> Table = new(
        ("piano|pianos|grand piano|upright piano|keys", InstrumentWord.Piano),
        ("rhodes|electric piano|e piano|wurlitzer|wurli|fender rhodes", InstrumentWord.ElectricPiano),
        ("organ|hammond|b3", InstrumentWord.Organ),
        ("acoustic guitar|nylon guitar|classical guitar|fingerpicked guitar|ukulele|banjo|mandolin", InstrumentWord.AcousticGuitar),
        ("electric guitar|distorted guitar|overdriven guitar|power chords|guitar solo|shred", InstrumentWord.ElectricGuitar),
        ("strings|string section|string quartet|violin|violins|cello|cellos|viola|orchestra", InstrumentWord.Strings),
        ("brass|horns|horn section|trumpet|trumpets|trombone|french horn|tuba", InstrumentWord.Brass),
        ("sax|saxophone|alto sax|tenor sax|clarinet", InstrumentWord.Saxophone),
        ("flute|flutes|pan flute|recorder|whistle|ocarina", InstrumentWord.Flute),
        ("bells|bell|glockenspiel|music box|celesta|chimes", InstrumentWord.Bells),
        ("marimba|xylophone|kalimba|steel drum|steel drums", InstrumentWord.Marimba),
        ("vibraphone|vibes|vibraphones", InstrumentWord.Vibraphone),
        ("synth lead|lead synth|synth|synths|synthesizer|saw lead|chiptune", InstrumentWord.SynthLead),
        ("pad|pads|synth pad|warm pads", InstrumentWord.Pad),
        ("pluck|plucks|arp|arps|arpeggio|arpeggios|arpeggiated", InstrumentWord.Pluck),
        ("choir|voices|vocal pad|choral", InstrumentWord.Choir),
        ("808|808s", InstrumentWord.Bass808));

    public static readonly WordTable<bool> BareGuitar = new(("guitar|guitars", true));
}
