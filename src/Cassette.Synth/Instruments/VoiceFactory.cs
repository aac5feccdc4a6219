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
            InstrumentKind.Brass => new FmVoice(Patches.Brass, start, length, p, v, pan),
            InstrumentKind.Saxophone => new FmVoice(Patches.Saxophone, start, length, p, v, pan),
            InstrumentKind.Flute => new FmVoice(Patches.Flute, start, length, p, v, pan),
            InstrumentKind.Bells => new FmVoice(Patches.Bells, start, length, p, v, pan),
            InstrumentKind.Marimba => new ModalVoice(Patches.Marimba, start, length, p, v, pan, seed),
            InstrumentKind.Vibraphone => new ModalVoice(Patches.Vibraphone, start, length, p, v, pan, seed),
            InstrumentKind.Vinyl => new VinylVoice(start, length, seed),
            _ when SubtractivePatchOf(instrument) is { } patch => new SubtractiveVoice(patch, start, length, p, v, pan, seed),
            _ => new SubtractiveVoice(Patches.Pluck, start, length, p, v, pan, seed),
        };
    }

    /// <summary>
    /// Whether notes can be replayed from a cache: true when a note's sound depends only on time since its start.
    /// Not for the blown leads whose brightness follows the envelope, nor for the vinyl bed. (Notes too long for the
    /// cache, like slow pads, are played live whatever the instrument.)
    /// </summary>
    public static bool IsCacheable(InstrumentKind instrument) => instrument switch
    {
        InstrumentKind.Brass or InstrumentKind.Saxophone or InstrumentKind.Flute or InstrumentKind.Vinyl => false,
        _ => true,
    };

    /// <summary>
    /// Whether a harder note sounds different, not just louder: false for sine basses and for subtractive patches
    /// without a filter envelope (pads, strings, choir), whose cached notes then need one velocity layer only.
    /// </summary>
    public static bool VelocityChangesTimbre(InstrumentKind instrument) => instrument switch
    {
        InstrumentKind.SubBass or InstrumentKind.Bass808 => false,
        _ => SubtractivePatchOf(instrument) is not { SharedFilter: true },
    };

    /// <summary>The subtractive patch an instrument plays, if it is a subtractive one.</summary>
    public static SubtractivePatch? SubtractivePatchOf(InstrumentKind instrument) => instrument switch
    {
        InstrumentKind.SynthBass => Patches.SynthBass,
        InstrumentKind.ReeseBass => Patches.ReeseBass,
        InstrumentKind.Strings => Patches.Strings,
        InstrumentKind.Choir => Patches.Choir,
        InstrumentKind.SawLead => Patches.SawLead,
        InstrumentKind.SquareLead => Patches.SquareLead,
        InstrumentKind.Pluck => Patches.Pluck,
        InstrumentKind.Supersaw => Patches.Supersaw,
        InstrumentKind.WarmPad => Patches.WarmPad,
        InstrumentKind.DarkPad => Patches.DarkPad,
        InstrumentKind.Stab => Patches.Stab,
        _ => null,
    };

    private static Voice Drum(InstrumentKind kit, NoteEvent note, float pan, float tonicHz, ulong seed)
    {
        var sound = (DrumSound)(int)note.Pitch;
        if (sound == DrumSound.Riser) return new RiserVoice(note.Start, note.Length, note.Velocity, seed);
        return new DrumVoice(DrumKits.Patch(kit, sound, tonicHz), note.Start, note.Velocity, pan, seed);
    }
}
