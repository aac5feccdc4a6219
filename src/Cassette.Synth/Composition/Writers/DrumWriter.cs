using Cassette.Synth.Composition.Styles;

namespace Cassette.Synth.Composition.Writers;

/// <summary>
/// Plays the genre's groove bar by bar, thinned in intros and breakdowns, with a fill in the last beat of each
/// section, a crash on the next downbeat, a riser before EDM choruses and a final hit on the ending chord.
/// Kick and snare stay on the grid (jitter moves the tempo detector); hats get the humanisation.
/// </summary>
internal static class DrumWriter
{
    public static void Write(Arrangement song, Part part, Rng rng)
    {
        var groove = song.Style.Groove;
        bool hasDrums = (groove.Kick + groove.Backbeat + groove.Hat + groove.Extra).Any(c => c != '.');
        if (!hasDrums) return;
        bool acoustic = song.Style.Kit is Instruments.InstrumentKind.DrumsAcoustic or Instruments.InstrumentKind.DrumsBrushes or Instruments.InstrumentKind.DrumsTaiko;
        var sections = song.Form.Sections;
        for (int s = 0; s < sections.Count; s++)
        {
            var section = sections[s];
            if (section.Kind == SectionKind.Ending)
            {
                Hit(song, part, rng, section.StartBeat, DrumSound.Kick, 1.0);
                Hit(song, part, rng, section.StartBeat, DrumSound.Crash, 0.8);
                continue;
            }
            bool fillAtEnd = s + 1 < sections.Count && section.Bars >= 2;
            for (int bar = section.StartBar; bar < section.EndBar; bar++)
            {
                bool lastBar = bar == section.EndBar - 1;
                double fillFrom = fillAtEnd && lastBar ? bar * 4 + 3 : double.MaxValue;
                PlayBar(song, part, rng, groove, section, bar, fillFrom);
                if (fillFrom < double.MaxValue) Fill(song, part, rng, fillFrom, acoustic);
            }
            var next = s + 1 < sections.Count ? sections[s + 1] : null;
            if (next is { Kind: SectionKind.Chorus or SectionKind.Verse })
                Hit(song, part, rng, next.StartBeat, DrumSound.Crash, 0.75);
            if (song.Style.Riser && next?.Kind == SectionKind.Chorus && section.Bars >= 2)
                song.Place(part, rng, next.StartBeat - 4, 4, (float)DrumSound.Riser, 0.6);
        }
    }

    private static void PlayBar(Arrangement song, Part part, Rng rng, DrumGroove groove, Section section, int bar, double fillFrom)
    {
        var kind = section.Kind;
        bool fourOnFloor = groove.Kick.StartsWith("X...X...X...X...", StringComparison.Ordinal);
        for (int step = 0; step < 16; step++)
        {
            double beat = bar * 4 + step / 4.0;
            bool inFill = beat >= fillFrom;
            double backbeatLevel = kind switch { SectionKind.Intro or SectionKind.Breakdown => 0, _ => 1 };
            // Intros and breakdowns keep a pulse: the four-on-the-floor kick, or a soft kick on each beat.
            double kickLevel = kind switch
            {
                SectionKind.Intro => fourOnFloor ? 0.8 : 0,
                SectionKind.Breakdown => 0,
                _ => 1,
            };
            if (kind is SectionKind.Intro or SectionKind.Breakdown && !fourOnFloor && step % 4 == 0 && groove.Kick.Contains('X'))
                Hit(song, part, rng, beat, DrumSound.Kick, 0.45);
            Play(song, part, rng, groove.Kick[step], beat, DrumSound.Kick, kickLevel, 0);
            if (!inFill) Play(song, part, rng, groove.Backbeat[step], beat, groove.BackbeatSound, backbeatLevel, 0);
            double hatLevel = kind == SectionKind.Breakdown ? 0.5 : kind == SectionKind.Intro ? 0.7 : 1;
            if (!inFill) Play(song, part, rng, groove.Hat[step], beat, groove.HatSound, hatLevel, 4);
            double extraLevel = kind == SectionKind.Chorus ? 1 : kind == SectionKind.Verse ? 0.7 : 0;
            if (groove.ExtraSound == DrumSound.Ride) extraLevel = kind == SectionKind.Breakdown ? 0.5 : 1;
            if (!inFill) Play(song, part, rng, groove.Extra[step], beat, groove.ExtraSound, extraLevel, 4);
        }
    }

    private static void Play(Arrangement song, Part part, Rng rng, char symbol, double beat, DrumSound sound, double level, double jitterMs)
    {
        if (level <= 0) return;
        switch (symbol)
        {
            case 'X': song.Place(part, rng, beat, 0.25, (float)sound, level, jitterMs, jitterMs > 0 ? 0.1 : 0.03); break;
            case 'x': song.Place(part, rng, beat, 0.25, (float)sound, 0.45 * level, jitterMs, 0.12); break;
            case 'O': song.Place(part, rng, beat, 0.5, (float)DrumSound.OpenHat, 0.8 * level, jitterMs, 0.08); break;
            case 'r':
                song.Place(part, rng, beat, 0.125, (float)sound, 0.5 * level, 0, 0.05);
                song.Place(part, rng, beat + 0.125, 0.125, (float)sound, 0.4 * level, 0, 0.05);
                break;
        }
    }

    private static void Hit(Arrangement song, Part part, Rng rng, double beat, DrumSound sound, double velocity) =>
        song.Place(part, rng, beat, sound == DrumSound.Crash ? 4 : 0.25, (float)sound, velocity);

    /// <summary>Four sixteenths rising in level: toms down the kit on acoustic kits, snare on electronic ones.</summary>
    private static void Fill(Arrangement song, Part part, Rng rng, double beat, bool acoustic)
    {
        for (int i = 0; i < 4; i++)
        {
            var sound = acoustic ? (i < 2 ? DrumSound.HighTom : DrumSound.LowTom) : DrumSound.Snare;
            if (acoustic && i == 0) sound = DrumSound.Snare;
            song.Place(part, rng, beat + i * 0.25, 0.25, (float)sound, 0.55 + 0.12 * i, 0, 0.05);
        }
    }
}
