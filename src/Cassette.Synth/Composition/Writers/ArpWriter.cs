namespace Cassette.Synth.Composition.Writers;

/// <summary>
/// Broken chords on a fixed rate: sixteenth arpeggios for trance and synthwave, and the quiet one-note-per-beat
/// pulse that tells a tempo detector where the beat is in genres whose drums are half-time or absent.
/// </summary>
internal static class ArpWriter
{
    public static void Write(Arrangement song, Part part, Rng rng, double stepBeats, int centre, double level, bool skipIntro)
    {
        int[] order = stepBeats >= 1 ? [0, 2, 1, 2] : [0, 1, 2, 3, 4, 3, 2, 1];
        foreach (var section in song.Form.Sections)
        {
            if (section.Kind == SectionKind.Ending || skipIntro && section.Kind is SectionKind.Intro) continue;
            foreach (var slot in section.Chords)
            {
                var notes = slot.Chord.Voicing(song.Key.Tonic, centre, 5);
                for (double b = slot.StartBeat; b < slot.EndBeat - 1e-6; b += stepBeats)
                {
                    int i = (int)Math.Round((b - slot.StartBeat) / stepBeats) % order.Length;
                    bool onBeat = Math.Abs(b - Math.Round(b)) < 1e-6;
                    song.Place(part, rng, b, stepBeats * 0.9, notes[order[i]], level * (onBeat ? 1 : 0.7), stepBeats >= 1 ? 4 : 0, 0.06);
                }
            }
        }
    }
}
