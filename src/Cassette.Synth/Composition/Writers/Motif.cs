namespace Cassette.Synth.Composition.Writers;

/// <summary>
/// A one-bar melodic idea: onsets in sixteenths, lengths, and a contour in scale steps from the bar's anchor
/// note. Melodies are built by repeating, shifting and varying motifs, the way people write hooks.
/// </summary>
internal sealed record Motif(IReadOnlyList<MotifNote> Notes)
{
    // Rhythm cells per beat: (onset, length) in sixteenths. The first cell of a bar always starts on the beat.
    private static readonly (int Onset, int Length)[][] Cells =
    [
        [(0, 4)],
        [(0, 2), (2, 2)],
        [(0, 3), (3, 1)],
        [(2, 2)],
        [(0, 1), (1, 1), (2, 2)],
        [],
    ];

    public static Motif Create(Rng rng, double density)
    {
        var notes = new List<MotifNote>();
        int degree = 0;
        for (int beat = 0; beat < 4; beat++)
        {
            var cell = ChooseCell(rng, density, beat);
            foreach (var (onset, length) in cell)
            {
                notes.Add(new MotifNote(beat * 4 + onset, length, degree));
                degree = NextDegree(rng, degree);
            }
        }
        // Let the last note ring into the next bar's downbeat when there is room.
        if (notes.Count > 0 && notes[^1].Step + notes[^1].Length < 16 && rng.Chance(0.5))
            notes[^1] = notes[^1] with { Length = 16 - notes[^1].Step };
        return new Motif(notes);
    }

    private static (int Onset, int Length)[] ChooseCell(Rng rng, double density, int beat)
    {
        // Slow tempos: quarter notes and rests only, so nothing competes with the beat at the half-beat.
        if (density <= 0) return beat == 0 || rng.Chance(0.6) ? Cells[0] : Cells[5];
        if (beat == 0) return density >= 1.2 && rng.Chance(0.5) ? Cells[1] : rng.Chance(0.5) ? Cells[0] : Cells[2];
        double r = rng.NextDouble();
        if (density < 0.7) return r < 0.35 ? Cells[5] : r < 0.7 ? Cells[0] : r < 0.85 ? Cells[3] : Cells[1];
        if (density < 1.1) return r < 0.15 ? Cells[5] : r < 0.45 ? Cells[0] : r < 0.7 ? Cells[1] : r < 0.85 ? Cells[2] : Cells[3];
        return r < 0.1 ? Cells[5] : r < 0.25 ? Cells[0] : r < 0.6 ? Cells[1] : r < 0.8 ? Cells[4] : Cells[2];
    }

    /// <summary>Mostly steps, some skips, the odd leap, always pulled back towards the anchor.</summary>
    private static int NextDegree(Rng rng, int degree)
    {
        double r = rng.NextDouble();
        int move = r < 0.65 ? 1 : r < 0.9 ? 2 : 3;
        int direction = degree > 2 ? -1 : degree < -2 ? 1 : rng.Chance(0.5) ? 1 : -1;
        return degree + move * direction;
    }

    /// <summary>The same rhythm with one note moved a step: enough to sound like a variation, not a new idea.</summary>
    public Motif Vary(Rng rng)
    {
        if (Notes.Count < 2) return this;
        var notes = Notes.ToList();
        int i = 1 + rng.Next(notes.Count - 1);
        notes[i] = notes[i] with { Degree = notes[i].Degree + (rng.Chance(0.5) ? 1 : -1) };
        return new Motif(notes);
    }
}

/// <summary>One note of a motif: onset and length in sixteenths, and its scale-step offset from the anchor.</summary>
internal readonly record struct MotifNote(int Step, int Length, int Degree);
