using Cassette.Synth.Composition.Styles;

namespace Cassette.Synth.Composition.Writers;

/// <summary>
/// Bass lines that follow the chord roots in the genre's rhythm. Intros and breakdowns hold the tonic, which keeps
/// the key clear while the arrangement is thin.
/// </summary>
internal static class BassWriter
{
    public static void Write(Arrangement song, Part part, Rng rng)
    {
        foreach (var section in song.Form.Sections)
        {
            foreach (var slot in section.Chords)
            {
                int root = song.BassTonic + slot.Chord.Root;
                if (root > song.BassTonic + 7) root -= 12; // stay within a fifth below to a fifth above the tonic
                // A piano's left hand sits an octave up: low sustained sines blur the beat for a tempo detector.
                if (part.Instrument == Instruments.InstrumentKind.Piano) root += 12;
                if (section.Kind == SectionKind.Ending)
                {
                    song.Place(part, rng, slot.StartBeat, song.EndBeat - slot.StartBeat, root, 0.9);
                    continue;
                }
                if (section.Kind is SectionKind.Intro or SectionKind.Breakdown && song.Style.BassStyle != BassStyle.BoomChick)
                {
                    Pedal(song, part, rng, slot, root);
                    continue;
                }
                Line(song, part, rng, section, slot, root);
            }
        }
    }

    /// <summary>A held root, re-struck each bar so the tonic keeps sounding.</summary>
    private static void Pedal(Arrangement song, Part part, Rng rng, ChordSlot slot, int root)
    {
        for (double beat = slot.StartBeat; beat < slot.EndBeat - 1e-6; beat += 4)
            song.Place(part, rng, beat, Math.Min(4, slot.EndBeat - beat) - 0.1, root, 0.75);
    }

    private static void Line(Arrangement song, Part part, Rng rng, Section section, ChordSlot slot, int root)
    {
        int third = root + (slot.Chord.IsMinor ? 3 : 4), fifth = root + 7, octave = root + 12;
        double start = slot.StartBeat, end = slot.EndBeat;
        switch (song.Style.BassStyle)
        {
            case BassStyle.RootQuarters:
                Every(song, part, rng, start, end, 1, 0, 0.9, b => Approach(song, slot, b, root), 0.95);
                break;
            case BassStyle.RootEighths:
                Every(song, part, rng, start, end, 0.5, 0, 0.45, _ => root, 1.0, accentBeats: true);
                break;
            case BassStyle.OffbeatEighths:
                Every(song, part, rng, start, end, 1, 0.5, 0.4, _ => root, 0.95);
                break;
            case BassStyle.Rolling:
                for (double b = start; b < end - 1e-6; b += 1)
                    for (int i = 1; i < 4; i++) song.Place(part, rng, b + i * 0.25, 0.2, root, i == 2 ? 0.95 : 0.75);
                break;
            case BassStyle.Octaves:
                Every(song, part, rng, start, end, 0.5, 0, 0.4, b => (b * 2) % 2 == 0 ? root : octave, 0.9);
                break;
            case BassStyle.Walking:
                Walk(song, part, rng, slot, root, third, fifth);
                break;
            case BassStyle.Syncopated:
                // Roots, octaves and fifths only: a flat seventh in the bass pulls a minor key towards its relative major.
                Pattern(song, part, rng, start, end, "X..X..X.X.X..X.x", [root, octave, root, fifth, root, octave, root, fifth]);
                break;
            case BassStyle.OneDrop:
                Pattern(song, part, rng, start, end, "X.....X.X...X...", [root, fifth, root, third], 0.5);
                break;
            case BassStyle.FollowKick:
                FollowKick(song, part, rng, start, end, root, fifth);
                break;
            case BassStyle.Sustained:
                for (double b = start; b < end - 1e-6; b += 2)
                    song.Place(part, rng, b, Math.Min(2, end - b) - 0.05, root, b == start ? 0.9 : 0.75);
                break;
            case BassStyle.BoomChick:
                int lowFifth = fifth - 12 >= song.BassTonic - 5 ? fifth - 12 : fifth;
                // Notes released at the half-beat: an envelope that is high then low each beat marks the tempo.
                Every(song, part, rng, start, end, 1, 0, 0.5, b => (int)Math.Round(b) % 2 == 0 ? root : lowFifth, 0.85);
                break;
        }
    }

    private static void Every(Arrangement song, Part part, Rng rng, double start, double end, double step, double offset, double length, Func<double, int> pitch, double velocity, bool accentBeats = false)
    {
        for (double b = start + offset; b < end - 1e-6; b += step)
        {
            double v = accentBeats && Math.Abs(b - Math.Round(b)) > 1e-6 ? velocity * 0.8 : velocity;
            song.Place(part, rng, b, length, pitch(b), v, 0, 0.06);
        }
    }

    /// <summary>On the last beat before a chord change, step to the fifth: a small approach that still reads as root motion.</summary>
    private static int Approach(Arrangement song, ChordSlot slot, double beat, int root) =>
        slot.Beats >= 4 && beat >= slot.EndBeat - 1 - 1e-6 ? root + 7 : root;

    /// <summary>A one-bar sixteenth pattern; each 'X' takes the next pitch of the cycle, 'x' a ghost of the root.</summary>
    private static void Pattern(Arrangement song, Part part, Rng rng, double start, double end, string steps, int[] pitches, double length = 0.22)
    {
        int n = 0;
        for (double bar = start; bar < end - 1e-6; bar += 4)
            for (int step = 0; step < 16; step++)
            {
                double beat = bar + step / 4.0;
                if (beat >= end - 1e-6) break;
                if (steps[step] == 'X') song.Place(part, rng, beat, length, pitches[n++ % pitches.Length], step % 4 == 0 ? 0.95 : 0.8, 0, 0.05);
                else if (steps[step] == 'x') song.Place(part, rng, beat, 0.15, pitches[0], 0.5, 0, 0.05);
            }
    }

    /// <summary>Notes where the kick lands, held until the next kick: the hip-hop and trap habit, with the fifth for variety.</summary>
    private static void FollowKick(Arrangement song, Part part, Rng rng, double start, double end, int root, int fifth)
    {
        string kick = song.Style.Groove.Kick;
        var hits = new List<double>();
        for (double bar = Math.Floor(start / 4) * 4; bar < end; bar += 4)
            for (int step = 0; step < 16; step++)
            {
                double beat = bar + step / 4.0;
                if (kick[step] != '.' && beat >= start - 1e-6 && beat < end - 1e-6) hits.Add(beat);
            }
        if (hits.Count == 0 || hits[0] > start + 1e-6) hits.Insert(0, start);
        for (int i = 0; i < hits.Count; i++)
        {
            double next = i + 1 < hits.Count ? hits[i + 1] : end;
            int pitch = i % 4 == 3 && rng.Chance(0.3) ? fifth - 12 : root;
            song.Place(part, rng, hits[i], Math.Min(next - hits[i], 2.5) - 0.05, pitch, i == 0 ? 0.95 : 0.85);
        }
    }

    /// <summary>Quarter notes: root, chord tones, and a chromatic step into the next chord's root on beat four.</summary>
    private static void Walk(Arrangement song, Part part, Rng rng, ChordSlot slot, int root, int third, int fifth)
    {
        var next = song.Form.SectionAt(slot.EndBeat).ChordAt(slot.EndBeat);
        int nextRoot = song.BassTonic + next.Chord.Root;
        if (nextRoot > song.BassTonic + 7) nextRoot -= 12;
        int[] line = rng.Chance(0.5) ? [root, third, fifth, 0] : [root, fifth, root + 12 - 2, 0];
        for (double b = slot.StartBeat; b < slot.EndBeat - 1e-6; b += 1)
        {
            int index = (int)Math.Round(b - slot.StartBeat) % 4;
            bool lastBeat = b >= slot.EndBeat - 1 - 1e-6;
            int pitch = lastBeat ? nextRoot + (rng.Chance(0.5) ? 1 : -1) : line[index == 3 ? 2 : index];
            song.Place(part, rng, b, 0.9, pitch, index == 0 ? 0.95 : 0.82, 0, 0.06);
        }
    }
}
