namespace Cassette.Synth.Composition;

/// <summary>A run of whole bars with one role in the form, and the chords it plays.</summary>
internal sealed record Section(SectionKind Kind, int StartBar, int Bars, IReadOnlyList<ChordSlot> Chords)
{
    public int EndBar => StartBar + Bars;
    public double StartBeat => StartBar * 4.0;
    public double EndBeat => EndBar * 4.0;

    /// <summary>How full the arrangement is here, 0..1.</summary>
    public double Intensity => Kind switch
    {
        SectionKind.Intro => 0.4,
        SectionKind.Verse => 0.75,
        SectionKind.Chorus => 1.0,
        SectionKind.Breakdown => 0.3,
        _ => 0.5,
    };

    public ChordSlot ChordAt(double beat)
    {
        foreach (var slot in Chords)
            if (beat >= slot.StartBeat && beat < slot.EndBeat) return slot;
        return Chords[^1];
    }
}
