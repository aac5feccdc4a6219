namespace Cassette.Synth.Composition.Writers;

/// <summary>Held chords under everything, a little above the comping so the two do not mask each other.</summary>
internal static class PadWriter
{
    public static void Write(Arrangement song, Part part, Rng rng, int centre = 64)
    {
        foreach (var section in song.Form.Sections)
            foreach (var slot in section.Chords)
            {
                var notes = slot.Chord.Voicing(song.Key.Tonic, centre, 3);
                double beats = section.Kind == SectionKind.Ending ? song.EndBeat - slot.StartBeat : slot.Beats;
                double level = section.Kind == SectionKind.Chorus ? 0.8 : 0.65;
                for (int i = 0; i < notes.Length; i++)
                    song.Place(part, rng, slot.StartBeat, beats, notes[i], level, 0, 0.05, (i % 2 == 0 ? -0.5f : 0.5f));
            }
    }
}
