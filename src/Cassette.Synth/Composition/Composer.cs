using Cassette.Synth.Composition.Styles;
using Cassette.Synth.Composition.Writers;
using Cassette.Synth.Instruments;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Composition;

/// <summary>
/// Turns a read prompt into a score: picks the genre's progressions, plans the form for the duration and lets
/// each part writer fill its part. Every random choice comes from the prompt hash and the seed.
/// </summary>
internal static class Composer
{
    public const int SampleRate = 44100;

    public static Score Compose(PromptReading prompt, int durationSeconds, long? seed)
    {
        var style = InstrumentChoice.Apply(GenreStyles.For(prompt.Genre, prompt.Flavour), prompt.Genre, prompt.Instruments);
        var rng = new Rng(StableHash.Mix(prompt.PromptHash, (ulong)(seed ?? 0)));
        var grid = new TimeGrid(prompt.Bpm, style.Swing, style.SwingEighths, SampleRate);
        var mode = prompt.Key.Mode;
        var (verseChoices, chorusChoices) = mode == Mode.Minor ? (style.MinorA, style.MinorB) : (style.MajorA, style.MajorB);
        string verse = rng.Pick(verseChoices);
        string chorus = rng.Pick(chorusChoices);
        if (chorus == verse) chorus = chorusChoices.FirstOrDefault(c => c != verse) ?? chorus;

        int totalFrames = durationSeconds * SampleRate;
        var form = FormPlanner.Plan(durationSeconds, grid, mode, verse, chorus);
        var song = new Arrangement(form, prompt.Key, style, prompt, totalFrames);
        var parts = WriteParts(song, rng);

        double endingSeconds = form.Ending.StartBar * grid.BarSeconds;
        double fadeSeconds = Math.Clamp(durationSeconds - endingSeconds - 0.5, 1.0, 3.0);
        var master = new MasterSettings(
            TargetLufs: style.TargetLufs + 0.5 * prompt.Energy,
            ReverbSize: style.ReverbSize,
            ReverbReturn: style.ReverbReturn,
            DelaySeconds: style.DelayBeats * 60 / prompt.Bpm,
            FadeOutStartFrame: (int)((durationSeconds - fadeSeconds) * SampleRate),
            Seed: rng.NextULong());
        return new Score(totalFrames, prompt.Bpm, parts, master);
    }

    private static List<Part> WriteParts(Arrangement song, Rng rng)
    {
        var style = song.Style;
        float sidechain = style.Sidechain;
        var parts = new List<Part>();

        var drums = new Part(PartRole.Drums, style.Kit, new MixSettings(style.DrumsGainDb, Reverb: 0.06f));
        DrumWriter.Write(song, drums, rng.Fork(1));
        if (drums.Notes.Count > 0) parts.Add(drums); // ambient and solo piano have none

        var bass = new Part(PartRole.Bass, style.Bass, new MixSettings(style.BassGainDb, Reverb: 0.02f, Sidechain: sidechain));
        BassWriter.Write(song, bass, rng.Fork(2));
        parts.Add(bass);

        var chords = new Part(PartRole.Chords, style.Chords, new MixSettings(style.ChordsGainDb, Pan: -0.1f, Reverb: 0.18f, Delay: 0.04f, Sidechain: sidechain * 0.8f, LowCutHz: 140));
        ChordWriter.Write(song, chords, rng.Fork(3));
        parts.Add(chords);

        if (style.Pad is { } pad)
        {
            var part = new Part(PartRole.Pad, pad, new MixSettings(style.PadGainDb, Reverb: 0.3f, Sidechain: sidechain, LowCutHz: 160));
            PadWriter.Write(song, part, rng.Fork(4));
            parts.Add(part);
        }
        if (style.Lead is { } lead)
        {
            var part = new Part(PartRole.Lead, lead, new MixSettings(-8, Pan: 0.08f, Reverb: 0.2f, Delay: 0.14f, LowCutHz: 180));
            // Below 85 BPM a tempo detector can lock onto half-beats, so melodies keep to quarter notes there.
            double density = song.Grid.Bpm < 85 ? 0 : style.MelodyDensity * (0.9 + 0.2 * (song.Prompt.Energy + 1) / 2);
            MelodyWriter.Write(song, part, rng.Fork(5), LeadCentre(lead), density);
            parts.Add(part);
        }
        if (style.Arp is { } arp)
        {
            var part = new Part(PartRole.Arp, arp, new MixSettings(-14, Pan: -0.25f, Reverb: 0.2f, Delay: 0.22f, Sidechain: sidechain * 0.7f, LowCutHz: 150));
            ArpWriter.Write(song, part, rng.Fork(6), 0.25, arp == InstrumentKind.SynthBass ? 50 : 64, 0.75, skipIntro: true);
            parts.Add(part);
        }
        if (style.Pulse is { } pulse)
        {
            var part = new Part(PartRole.Pulse, pulse, new MixSettings(style.PulseGainDb, Pan: 0.25f, Reverb: 0.3f, Delay: 0.08f, LowCutHz: 150));
            ArpWriter.Write(song, part, rng.Fork(7), 1.0, 69, 0.6, skipIntro: false);
            parts.Add(part);
        }
        if (style.Vinyl)
        {
            var part = new Part(PartRole.Texture, InstrumentKind.Vinyl, new MixSettings(0, Reverb: 0));
            part.Add(new NoteEvent(0, song.TotalFrames, 60, 1f));
            parts.Add(part);
        }
        return parts;
    }

    /// <summary>Where each lead instrument sounds best, as the MIDI note its melodies centre on.</summary>
    private static int LeadCentre(InstrumentKind lead) => lead switch
    {
        InstrumentKind.Bells or InstrumentKind.Marimba => 77,
        InstrumentKind.Flute or InstrumentKind.Pluck or InstrumentKind.Vibraphone => 74,
        InstrumentKind.Brass or InstrumentKind.Saxophone or InstrumentKind.DrivenGuitar or InstrumentKind.CleanGuitar or InstrumentKind.AcousticGuitar => 67,
        _ => 72,
    };
}
