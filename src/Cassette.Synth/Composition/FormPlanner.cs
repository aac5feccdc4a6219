using Cassette.Synth.Prompt;

namespace Cassette.Synth.Composition;

/// <summary>
/// Scales the form to the duration: whole bars at a constant tempo, an intro on tonic harmony, verses and choruses
/// that change, a breakdown in long tracks, a V–I cadence, and a final tonic chord that rings for the last seconds.
/// </summary>
internal static class FormPlanner
{
    /// <summary>Seconds the last chord rings (and fades) after the final downbeat.</summary>
    public const double MinimumRingSeconds = 2.0;

    public static SongForm Plan(double durationSeconds, TimeGrid grid, Mode mode, string verse, string chorus)
    {
        int bars = Math.Max(1, (int)Math.Floor((durationSeconds - MinimumRingSeconds) / grid.BarSeconds));
        var blocks = Layout(bars);
        var sections = new List<Section>();
        int bar = 0;
        foreach (var (kind, length) in blocks)
        {
            string progression = kind switch
            {
                SectionKind.Intro => mode == Mode.Minor ? "i" : "I",
                SectionKind.Chorus => chorus,
                SectionKind.Breakdown => mode == Mode.Minor ? "i(2) iv V" : "I(2) IV V",
                _ => verse,
            };
            sections.Add(new Section(kind, bar, length, Fill(progression, mode, bar, length)));
            bar += length;
        }
        AddCadence(sections, mode);
        var tonic = RomanNumerals.Parse(mode == Mode.Minor ? "i" : "I", mode)[0].Chord;
        sections.Add(new Section(SectionKind.Ending, bar, 1, [new ChordSlot(tonic, bar * 4.0, 4)]));
        return new SongForm(sections, grid);
    }

    /// <summary>Section kinds and lengths in bars that add up to exactly <paramref name="bars"/>.</summary>
    internal static List<(SectionKind Kind, int Bars)> Layout(int bars)
    {
        var layout = new List<(SectionKind, int)>();
        if (bars <= 4)
        {
            layout.Add((SectionKind.Verse, bars));
            return layout;
        }
        int intro = bars >= 28 ? 4 : bars >= 10 ? 2 : 1;
        layout.Add((SectionKind.Intro, intro));
        int body = bars - intro;
        int block = body >= 40 ? 8 : 4;
        int count = Math.Max(1, body / block);
        // Verse and chorus alternate, a long track breaks down before its last chorus, and it ends on a chorus.
        var kinds = new SectionKind[count];
        for (int i = 0; i < count; i++) kinds[i] = i % 2 == 0 ? SectionKind.Verse : SectionKind.Chorus;
        if (count >= 2) kinds[^1] = SectionKind.Chorus;
        if (count >= 5) kinds[^2] = SectionKind.Breakdown;
        for (int i = 0; i < count; i++)
        {
            int length = i == count - 1 ? body - block * (count - 1) : block;
            layout.Add((kinds[i], length));
        }
        return layout;
    }

    /// <summary>Loops a progression over a section, squeezing it to half-bar chords when the section is short.</summary>
    private static List<ChordSlot> Fill(string progression, Mode mode, int startBar, int bars)
    {
        var chords = RomanNumerals.Parse(progression, mode);
        double loopBars = chords.Sum(c => c.Bars);
        double scale = bars < loopBars ? Math.Max(0.5, bars / loopBars) : 1.0;
        var slots = new List<ChordSlot>();
        double beat = startBar * 4.0, end = (startBar + bars) * 4.0;
        for (int i = 0; beat < end - 1e-9; i = (i + 1) % chords.Count)
        {
            double beats = Math.Min(chords[i].Bars * 4 * scale, end - beat);
            slots.Add(new ChordSlot(chords[i].Chord, beat, beats));
            beat += beats;
        }
        return slots;
    }

    /// <summary>The last two beats before the ending become the dominant, so the final tonic lands as a cadence.</summary>
    private static void AddCadence(List<Section> sections, Mode mode)
    {
        var last = sections[^1];
        var dominant = RomanNumerals.Parse("V", mode)[0].Chord;
        var slots = last.Chords.ToList();
        double cadenceStart = last.EndBeat - Math.Min(4, last.Bars * 4 / 2.0);
        var trimmed = new List<ChordSlot>();
        foreach (var slot in slots)
        {
            if (slot.StartBeat >= cadenceStart) continue;
            trimmed.Add(slot.EndBeat > cadenceStart ? slot with { Beats = cadenceStart - slot.StartBeat } : slot);
        }
        trimmed.Add(new ChordSlot(dominant, cadenceStart, last.EndBeat - cadenceStart));
        sections[^1] = last with { Chords = trimmed };
    }
}
