using Cassette.Synth.Composition.Styles;
using Cassette.Synth.Instruments;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Composition;

/// <summary>
/// Applies the instruments a prompt names to the genre's recipe: the first harmony instrument takes the chords, a
/// second one the pad, the first melody instrument the lead; an 808 takes the bass.
/// </summary>
internal static class InstrumentChoice
{
    public static GenreStyle Apply(GenreStyle style, Genre genre, IReadOnlyList<InstrumentWord> words)
    {
        if (genre == Genre.SoloPiano || words.Count == 0) return style;
        var harmony = words.Select(w => Harmony(w, genre)).OfType<InstrumentKind>().ToList();
        var melody = words.Select(Melody).OfType<InstrumentKind>().ToList();
        if (harmony.Count > 0) style = style with { Chords = harmony[0], Comp = CompFor(harmony[0], style.Comp) };
        if (harmony.Count > 1) style = style with { Pad = harmony[1] };
        if (melody.Count > 0) style = style with { Lead = melody[0] };
        else if (harmony.Count > 0 && words.Count == 1 && harmony[0] is InstrumentKind.Piano or InstrumentKind.AcousticGuitar or InstrumentKind.CleanGuitar)
            style = style with { Lead = harmony[0] };
        if (words.Contains(InstrumentWord.Bass808)) style = style with { Bass = InstrumentKind.Bass808 };
        return style;
    }

    private static InstrumentKind? Harmony(InstrumentWord word, Genre genre) => word switch
    {
        InstrumentWord.Piano => InstrumentKind.Piano,
        InstrumentWord.ElectricPiano => InstrumentKind.ElectricPiano,
        InstrumentWord.Organ => InstrumentKind.Organ,
        InstrumentWord.AcousticGuitar => InstrumentKind.AcousticGuitar,
        InstrumentWord.ElectricGuitar => genre is Genre.Rock ? InstrumentKind.DrivenGuitar : InstrumentKind.CleanGuitar,
        InstrumentWord.Strings => InstrumentKind.Strings,
        InstrumentWord.Pad => InstrumentKind.WarmPad,
        InstrumentWord.Choir => InstrumentKind.Choir,
        _ => null,
    };

    private static InstrumentKind? Melody(InstrumentWord word) => word switch
    {
        InstrumentWord.Saxophone => InstrumentKind.Saxophone,
        InstrumentWord.Flute => InstrumentKind.Flute,
        InstrumentWord.Bells => InstrumentKind.Bells,
        InstrumentWord.Marimba => InstrumentKind.Marimba,
        InstrumentWord.Vibraphone => InstrumentKind.Vibraphone,
        InstrumentWord.SynthLead => InstrumentKind.SawLead,
        InstrumentWord.Brass => InstrumentKind.Brass,
        InstrumentWord.Pluck => InstrumentKind.Pluck,
        _ => null,
    };

    /// <summary>A held instrument cannot chop funk sixteenths well, and a guitar strums rather than sustains.</summary>
    private static CompStyle CompFor(InstrumentKind instrument, CompStyle genreComp) => instrument switch
    {
        InstrumentKind.WarmPad or InstrumentKind.Choir or InstrumentKind.Strings when genreComp is CompStyle.FunkChops or CompStyle.Skank or CompStyle.OffbeatStabs => CompStyle.Sustain,
        InstrumentKind.AcousticGuitar when genreComp is CompStyle.Sustain => CompStyle.Strum,
        _ => genreComp,
    };
}
