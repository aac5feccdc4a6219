namespace Cassette.Synth.Composition;

/// <summary>
/// The sections in order, ending with a one-bar <see cref="SectionKind.Ending"/> whose tonic chord rings (and
/// fades) to the end of the file.
/// </summary>
internal sealed class SongForm(IReadOnlyList<Section> sections, TimeGrid grid)
{
    public IReadOnlyList<Section> Sections { get; } = sections;
    public TimeGrid Grid { get; } = grid;
    public Section Ending => Sections[^1];
    public int MusicBars => Ending.StartBar;

    public IEnumerable<ChordSlot> AllChords => Sections.SelectMany(s => s.Chords);

    public Section SectionAt(double beat)
    {
        foreach (var section in Sections)
            if (beat >= section.StartBeat && beat < section.EndBeat) return section;
        return Sections[^1];
    }
}
