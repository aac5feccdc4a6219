using Cassette.Synth.Prompt;

namespace Cassette.Synth.Composition.Writers;

/// <summary>
/// Melodies from two motifs (verse and chorus) placed over the chords in four-bar phrases: statement, varied
/// repeat, statement, and a cadence bar that lands on the tonic (or the fifth over a dominant). Strong beats snap
/// to chord tones and the minor seventh is raised over the dominant, which keeps the key unmistakable.
/// </summary>
internal static class MelodyWriter
{
    public static void Write(Arrangement song, Part part, Rng rng, int centre, double density)
    {
        var verse = Motif.Create(rng.Fork(1), density);
        var chorus = Motif.Create(rng.Fork(2), density * 1.15);
        int tonic = centre - 6 + ((song.Key.Tonic - (centre - 6)) % 12 + 12) % 12; // the tonic nearest the centre
        foreach (var section in song.Form.Sections)
        {
            if (section.Kind == SectionKind.Ending)
            {
                song.Place(part, rng, section.StartBeat, Math.Min(4, song.EndBeat - section.StartBeat), tonic, 0.7);
                continue;
            }
            if (section.Kind is SectionKind.Intro or SectionKind.Breakdown) continue;
            var motif = section.Kind == SectionKind.Chorus ? chorus : verse;
            int home = section.Kind == SectionKind.Chorus ? 4 : 2; // choruses sit a third higher
            for (int bar = section.StartBar; bar < section.EndBar; bar++)
            {
                int inPhrase = (bar - section.StartBar) % 4;
                bool cadence = inPhrase == 3 || bar == section.EndBar - 1;
                var barMotif = inPhrase == 1 ? motif.Vary(rng) : motif;
                PlayBar(song, part, rng, section, bar, barMotif, tonic, home, cadence);
            }
        }
    }

    private static void PlayBar(Arrangement song, Part part, Rng rng, Section section, int bar, Motif motif, int tonic, int home, bool cadence)
    {
        var slot = section.ChordAt(bar * 4.0);
        int anchor = NearestChordDegree(song, slot.Chord, home);
        foreach (var note in motif.Notes)
        {
            if (cadence && note.Step >= 8) break;
            double beat = bar * 4 + note.Step / 4.0;
            var chord = section.ChordAt(beat).Chord;
            int degree = anchor + note.Degree;
            if (note.Step % 8 == 0) degree = NearestChordDegree(song, chord, degree);
            double velocity = note.Step == 0 ? 0.85 : note.Step % 4 == 0 ? 0.75 : 0.65;
            song.Place(part, rng, beat, note.Length / 4.0 * 0.92, Pitch(song, tonic, degree, chord), velocity, 6, 0.08);
        }
        if (cadence)
        {
            var chord = section.ChordAt(bar * 4 + 2).Chord;
            int landing = chord.Tones.Contains(0) ? 0 : chord.Tones.Contains(7) ? 4 : NearestChordDegree(song, chord, 0);
            song.Place(part, rng, bar * 4 + 2, 1.9, Pitch(song, tonic, landing, chord), 0.8, 6, 0.05);
        }
    }

    /// <summary>The scale degree nearest to <paramref name="degree"/> that is a tone of the chord.</summary>
    private static int NearestChordDegree(Arrangement song, Chord chord, int degree)
    {
        var tones = chord.Tones.ToHashSet();
        for (int distance = 0; distance < 7; distance++)
            foreach (int candidate in new[] { degree - distance, degree + distance })
                if (tones.Contains(PitchClass(song, candidate, chord))) return candidate;
        return degree;
    }

    private static int PitchClass(Arrangement song, int degree, Chord chord)
    {
        var scale = song.Scale;
        int pc = scale[((degree % 7) + 7) % 7];
        // Over a major chord on the fifth, minor keys borrow the leading tone.
        if (song.Key.Mode == Mode.Minor && pc == 10 && chord.Root == 7 && !chord.IsMinor) pc = 11;
        return pc;
    }

    private static float Pitch(Arrangement song, int tonic, int degree, Chord chord)
    {
        int octave = (int)Math.Floor(degree / 7.0);
        return tonic + 12 * octave + PitchClass(song, degree, chord);
    }
}
