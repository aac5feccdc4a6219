using Cassette.Synth.Composition.Styles;

namespace Cassette.Synth.Composition.Writers;

/// <summary>
/// The chord instrument's comping: each style is a rhythm over the chord slots, voiced close around middle C so
/// the harmony sits between 150 Hz and 1 kHz where a key detector (and a listener) weighs it most.
/// </summary>
internal static class ChordWriter
{
    public static void Write(Arrangement song, Part part, Rng rng, int centre = 62, int voices = 4)
    {
        var style = song.Style.Comp;
        foreach (var section in song.Form.Sections)
            foreach (var slot in section.Chords)
            {
                // Repeated comping needs three voices to state the chord; held chords get the full voicing.
                int count = style is CompStyle.QuarterPulse or CompStyle.EighthPulse or CompStyle.FunkChops or CompStyle.OffbeatStabs ? 3 : voices;
                var notes = slot.Chord.Voicing(song.Key.Tonic, centre, count);
                if (section.Kind == SectionKind.Ending)
                {
                    Strike(song, part, rng, slot.StartBeat, song.EndBeat - slot.StartBeat, notes, 0.8, 0.012);
                    continue;
                }
                // Intros and breakdowns hold the harmony; the rhythm comes back with the verse.
                var comp = section.Kind is SectionKind.Intro or SectionKind.Breakdown && style is not (CompStyle.QuarterPulse or CompStyle.BrokenChord or CompStyle.Skank)
                    ? CompStyle.Sustain : style;
                Comp(song, part, rng, comp, slot, notes, section.Intensity);
            }
    }

    private static void Comp(Arrangement song, Part part, Rng rng, CompStyle comp, ChordSlot slot, int[] notes, double intensity)
    {
        double start = slot.StartBeat, end = slot.EndBeat;
        double level = 0.55 + 0.35 * intensity;
        switch (comp)
        {
            case CompStyle.Sustain:
                Strike(song, part, rng, start, end - start - 0.05, notes, level, 0.006);
                break;
            case CompStyle.QuarterPulse:
                for (double b = start; b < end - 1e-6; b += 1) Strike(song, part, rng, b, 0.8, notes, b == start ? level : level * 0.8, 0.004);
                break;
            case CompStyle.EighthPulse:
                // Below 90 BPM eighths would read as double time: the ostinato moves in quarters there.
                double pulseStep = song.Grid.Bpm < 90 ? 1 : 0.5;
                for (double b = start; b < end - 1e-6; b += pulseStep)
                    Strike(song, part, rng, b, pulseStep * 0.9, notes, Math.Abs(b - Math.Round(b)) < 1e-6 ? level : level * 0.65, 0);
                break;
            case CompStyle.OffbeatStabs:
                for (double b = start + 0.5; b < end - 1e-6; b += 1) Strike(song, part, rng, b, 0.3, notes, level, 0.002);
                break;
            case CompStyle.Skank:
                for (double b = Math.Ceiling(start) + 1; b < end - 1e-6; b += 2) Strike(song, part, rng, b, 0.3, notes, level, 0.002);
                break;
            case CompStyle.Charleston:
                for (double bar = start; bar < end - 1e-6; bar += 2)
                {
                    Strike(song, part, rng, bar, 0.9, notes, level, 0.008);
                    if (bar + 1.5 < end) Strike(song, part, rng, bar + 1.5, 0.4, notes, level * 0.8, 0.008);
                }
                break;
            case CompStyle.Strum:
                Strum(song, part, rng, start, end, slot, level);
                break;
            case CompStyle.PowerEighths:
                // Root, fifth and octave on the chord's root, with its third on top: power chords alone leave the
                // mode (and, with only fifths sounding, even the key) to guesswork.
                int root = 52 + ((song.Key.Tonic + slot.Chord.Root - 52) % 12 + 12) % 12; // E3 up to D#4
                var power = new[] { root - 12, root - 5, root, root + slot.Chord.Intervals[1] };
                for (double b = start; b < end - 1e-6; b += 0.5)
                    Strike(song, part, rng, b, intensity >= 1 ? 0.48 : 0.3, power, Math.Abs(b - Math.Round(b)) < 1e-6 ? level : level * 0.8, 0.003);
                break;
            case CompStyle.FunkChops:
                const string chops = "x.X.xX.x.xX.x.X.";
                for (double bar = start; bar < end - 1e-6; bar += 4)
                    for (int step = 0; step < 16 && bar + step / 4.0 < end - 1e-6; step++)
                        if (chops[step] != '.') Strike(song, part, rng, bar + step / 4.0, 0.12, notes, chops[step] == 'X' ? level : level * 0.6, 0.002);
                break;
            case CompStyle.BrokenChord:
                int[] order = [0, 1, 2, 3, 2, 1, 2, 3];
                double stepBeats = song.Grid.Bpm < 90 ? 1 : 0.5; // slow: one note a beat keeps the pulse clear
                for (double b = start; b < end - 1e-6; b += stepBeats)
                {
                    int i = (int)Math.Round((b - start) / stepBeats) % order.Length;
                    bool onBeat = Math.Abs(b - Math.Round(b)) < 1e-6;
                    song.Place(part, rng, b, stepBeats * 0.5, notes[order[i] % notes.Length], level * (onBeat ? 0.8 : 0.45), 3, 0.08);
                }
                break;
            case CompStyle.LazyPush:
                // The second hit is pushed an eighth early; below 80 BPM it lands on beat three instead, since a
                // strong off-beat at slow tempos makes the beat read twice as fast.
                double push = song.Grid.Bpm < 80 ? 2 : 2.5;
                Strike(song, part, rng, start, Math.Min(1.5, end - start) - 0.05, notes, level, 0.018);
                for (double b = start + push; b < end - 1e-6; b += 4) Strike(song, part, rng, b, Math.Min(1.4, end - b) - 0.05, notes, level * 0.8, 0.018);
                break;
        }
    }

    /// <summary>All chord notes, rolled by <paramref name="spreadSeconds"/> from the bottom up.</summary>
    internal static void Strike(Arrangement song, Part part, Rng rng, double beat, double beats, int[] notes, double velocity, double spreadSeconds)
    {
        double spreadBeats = spreadSeconds * song.Grid.Bpm / 60;
        for (int i = 0; i < notes.Length; i++)
            song.Place(part, rng, beat + i * spreadBeats, beats - i * spreadBeats, notes[i], velocity * (i == 0 ? 1 : 0.85), 3, 0.08, (i - (notes.Length - 1) / 2f) * 0.25f);
    }

    /// <summary>Folk strumming, down-down-up-up-down-up on eighths; downs roll low to high, ups high to low and softer.</summary>
    private static void Strum(Arrangement song, Part part, Rng rng, double start, double end, ChordSlot slot, double level)
    {
        var notes = slot.Chord.Voicing(song.Key.Tonic, 57, 5);
        const string pattern = "D.DU.UDU";
        for (double bar = start; bar < end - 1e-6; bar += 4)
            for (int e = 0; e < 8 && bar + e * 0.5 < end - 1e-6; e++)
            {
                char stroke = pattern[e];
                if (stroke == '.') continue;
                var ordered = stroke == 'D' ? notes : notes.Reverse().ToArray();
                double spread = stroke == 'D' ? 0.02 : 0.012;
                Strike(song, part, rng, bar + e * 0.5, 0.9, ordered, stroke == 'D' ? level : level * 0.7, spread);
            }
    }
}
