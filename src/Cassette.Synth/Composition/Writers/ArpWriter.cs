namespace Cassette.Synth.Composition.Writers;

/// <summary>
/// Broken chords on a fixed rate: sixteenth arpeggios for trance and synthwave, and the quiet one-note-per-beat
/// pulse that tells a tempo detector where the beat is in genres whose drums are half-time or absent.
/// </summary>
internal static class ArpWriter
{
    public static void Write(Arrangement song, Part part, Rng rng, double stepBeats, int centre, double level, bool skipIntro)
    {
        int[] order = [0, 1, 2, 3, 4, 3, 2, 1];
        foreach (var section in song.Form.Sections)
        {
            if (skipIntro && section.Kind is SectionKind.Intro) continue;
            bool ending = section.Kind == SectionKind.Ending;
            // A pulse keeps beating, softer, through the final chord's ring; an arpeggio stops with the music.
            if (ending && stepBeats < 1) continue;
            foreach (var slot in section.Chords)
            {
                double slotEnd = ending ? song.EndBeat - 0.5 : slot.EndBeat;
                var notes = slot.Chord.Voicing(song.Key.Tonic, centre, 5);
                // A pulse walks root, fifth, third, fifth: it marks the beat, leans on the harmony's foundation and
                // keeps the third (which decides major or minor) audible.
                int root = centre - 6 + ((song.Key.Tonic + slot.Chord.Root - (centre - 6)) % 12 + 12) % 12;
                int fifth = root + 7 > centre + 7 ? root - 5 : root + 7;
                int third = root + slot.Chord.Intervals[1];
                int[] pulse = [root, fifth, third, fifth];
                for (double b = slot.StartBeat; b < slotEnd - 1e-6; b += stepBeats)
                {
                    int i = (int)Math.Round((b - slot.StartBeat) / stepBeats);
                    bool onBeat = Math.Abs(b - Math.Round(b)) < 1e-6;
                    double fade = ending ? 0.6 : 1;
                    int pitch = stepBeats >= 1 ? pulse[i % pulse.Length] : notes[order[i % order.Length]];
                    song.Place(part, rng, b, stepBeats * 0.9, pitch, level * fade * (onBeat ? 1 : 0.7), stepBeats >= 1 ? 4 : 0, 0.06);
                }
            }
        }
    }
}
