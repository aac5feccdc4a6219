using Cassette.Synth.Composition;
using Cassette.Synth.Instruments.Drums;

namespace Cassette.Synth.Instruments;

/// <summary>Creates the voice that plays one note on one instrument.</summary>
internal static class VoiceFactory
{
    public static Voice Create(InstrumentKind instrument, NoteEvent note, float pan, float tonicHz, ulong seed)
    {
        float p = note.Pitch, v = note.Velocity;
        long start = note.Start;
        int length = note.Length;
        return instrument switch
        {
            >= InstrumentKind.DrumsElectronic808 and <= InstrumentKind.DrumsTaiko => Drum(instrument, note, pan, tonicHz, seed),
            InstrumentKind.SubBass => new SineBassVoice(Patches.SubBass, start, length, p, v, pan),
            InstrumentKind.Bass808 => new SineBassVoice(Patches.Bass808, start, length, p, v, pan),
            InstrumentKind.SynthBass => new SubtractiveVoice(Patches.SynthBass, start, length, p, v, pan, seed),
            InstrumentKind.ReeseBass => new SubtractiveVoice(Patches.ReeseBass, start, length, p, v, pan, seed),
            InstrumentKind.FingerBass => new PluckedStringVoice(Patches.FingerBass, start, length, p, v, pan, seed),
            InstrumentKind.UprightBass => new PluckedStringVoice(Patches.UprightBass, start, length, p, v, pan, seed),
            InstrumentKind.PickBass => new PluckedStringVoice(Patches.PickBass, start, length, p, v, pan, seed),
            InstrumentKind.Piano => new ModalVoice(Patches.Piano, start, length, p, v, pan, seed),
            InstrumentKind.ElectricPiano => new FmVoice(Patches.ElectricPiano, start, length, p, v, pan),
            InstrumentKind.Organ => new ModalVoice(Patches.Organ, start, length, p, v, pan, seed),
            InstrumentKind.Clav => new FmVoice(Patches.Clav, start, length, p, v, pan),
            InstrumentKind.AcousticGuitar => new PluckedStringVoice(Patches.AcousticGuitar, start, length, p, v, pan, seed),
            InstrumentKind.CleanGuitar => new PluckedStringVoice(Patches.CleanGuitar, start, length, p, v, pan, seed),
            InstrumentKind.DrivenGuitar => new PluckedStringVoice(Patches.DrivenGuitar, start, length, p, v, pan, seed),
            InstrumentKind.Strings => new SubtractiveVoice(Patches.Strings, start, length, p, v, pan, seed),
            InstrumentKind.Brass => new FmVoice(Patches.Brass, start, length, p, v, pan),
            InstrumentKind.Saxophone => new FmVoice(Patches.Saxophone, start, length, p, v, pan),
            InstrumentKind.Flute => new FmVoice(Patches.Flute, start, length, p, v, pan),
            InstrumentKind.Choir => new SubtractiveVoice(Patches.Choir, start, length, p, v, pan, seed),
            InstrumentKind.Bells => new FmVoice(Patches.Bells, start, length, p, v, pan),
            InstrumentKind.Marimba => new ModalVoice(Patches.Marimba, start, length, p, v, pan, seed),
            InstrumentKind.Vibraphone => new ModalVoice(Patches.Vibraphone, start, length, p, v, pan, seed),
            InstrumentKind.SawLead => new SubtractiveVoice(Patches.SawLead, start, length, p, v, pan, seed),
            InstrumentKind.SquareLead => new SubtractiveVoice(Patches.SquareLead, start, length, p, v, pan, seed),
            InstrumentKind.Pluck => new SubtractiveVoice(Patches.Pluck, start, length, p, v, pan, seed),
            InstrumentKind.Supersaw => new SubtractiveVoice(Patches.Supersaw, start, length, p, v, pan, seed),
            InstrumentKind.WarmPad => new SubtractiveVoice(Patches.WarmPad, start, length, p, v, pan, seed),
            InstrumentKind.DarkPad => new SubtractiveVoice(Patches.DarkPad, start, length, p, v, pan, seed),
            InstrumentKind.Stab => new SubtractiveVoice(Patches.Stab, start, length, p, v, pan, seed),
            InstrumentKind.Vinyl => new VinylVoice(start, length, seed),
            _ => new SubtractiveVoice(Patches.Pluck, start, length, p, v, pan, seed),
        };
    }

    private static Voice Drum(InstrumentKind kit, NoteEvent note, float pan, float tonicHz, ulong seed)
    {
        var sound = (DrumSound)(int)note.Pitch;
        if (sound == DrumSound.Riser) return new RiserVoice(note.Start, note.Length, note.Velocity, seed);
        // Hats and shaker sit right of centre, toms spread, kick and snare stay in the middle.
        float place = sound switch
        {
            DrumSound.ClosedHat or DrumSound.OpenHat or DrumSound.Shaker => 0.3f,
            DrumSound.Ride => -0.25f,
            DrumSound.Crash => -0.35f,
            DrumSound.HighTom => -0.3f,
            DrumSound.LowTom => 0.3f,
            _ => 0f,
        };
        return new DrumVoice(DrumKits.Patch(kit, sound, tonicHz), note.Start, note.Velocity, pan + place, seed);
    }
}
