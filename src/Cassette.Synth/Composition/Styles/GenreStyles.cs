using Cassette.Synth.Instruments;
using Cassette.Synth.Prompt;
using static Cassette.Synth.Instruments.InstrumentKind;

namespace Cassette.Synth.Composition.Styles;

/// <summary>
/// The recipe of every genre. Groove grids follow docs/synth.md: every one keeps a strong event on each beat (kick,
/// bass or a quiet pulse), so a tempo detector hears the asked tempo rather than half of it.
/// </summary>
internal static class GenreStyles
{
    // Progressions that read as their key in all twelve tonics; minor loops all contain iv or a major V.
    private static readonly string[] MinorCore = ["i iv V i", "i iv VI V", "i VI iv V", "i VI VII V"];
    private static readonly string[] MajorCore = ["I IV V I", "I V vi IV", "vi IV I V", "I vi IV V"];

    public static GenreStyle For(Genre genre, Flavour flavour) => (genre, flavour) switch
    {
        (Genre.Rock, Flavour.Punk) => Punk,
        (Genre.Funk, Flavour.Disco) => Disco,
        (Genre.Jazz, Flavour.Ballad) => JazzBallad,
        (Genre.HipHop, _) => HipHop,
        (Genre.LoFi, _) => LoFi,
        (Genre.Trap, _) => Trap,
        (Genre.House, _) => House,
        (Genre.Techno, _) => Techno,
        (Genre.Trance, _) => Trance,
        (Genre.DrumAndBass, _) => DrumAndBass,
        (Genre.Synthwave, _) => Synthwave,
        (Genre.Rock, _) => Rock,
        (Genre.Funk, _) => Funk,
        (Genre.Reggae, _) => Reggae,
        (Genre.Jazz, _) => Jazz,
        (Genre.Ambient, _) => Ambient,
        (Genre.Cinematic, _) => Cinematic,
        (Genre.SoloPiano, _) => SoloPiano,
        (Genre.Folk, _) => Folk,
        _ => Pop,
    };

    private static readonly GenreStyle HipHop = new()
    {
        Swing = 0.57, Kit = DrumsDusty,
        Groove = new("X.....x.X.x.....", "....X.......X...", "x.x.x.x.x.x.x.x."),
        BassStyle = BassStyle.FollowKick, Bass = FingerBass,
        Comp = CompStyle.LazyPush, Chords = ElectricPiano, Lead = Bells, MelodyDensity = 0.6,
        MinorA = ["i7 iv7 v7 i7", "i iv VI V"], MinorB = ["i iv VI V", "i VI iv V"],
        MajorA = ["Imaj7 IVmaj7 V7 Imaj7", "I vi IV V"], MajorB = ["I IV V I", "vi IV I V"],
        TargetLufs = -13, ReverbSize = 0.5f, ReverbReturn = 0.2f,
    };

    private static readonly GenreStyle LoFi = new()
    {
        Swing = 0.6, Kit = DrumsDusty,
        Groove = new("X.......X.x.....", "....X.......X...", "x.x.x.x.x.x.x.x."),
        BassStyle = BassStyle.RootQuarters, Bass = UprightBass,
        Comp = CompStyle.LazyPush, Chords = ElectricPiano, Lead = Piano, MelodyDensity = 0.6, Pad = WarmPad,
        MinorA = ["i7 iv7 v7 i7", "i7 iv7 V7 i7"], MinorB = ["i iv VI V", "i7 iv7 VI V7"],
        MajorA = ["Imaj7 IVmaj7 V7 Imaj7", "I vi IV V"], MajorB = ["I IV V I", "vi IV I V"],
        TargetLufs = -14, ReverbSize = 0.55f, ReverbReturn = 0.25f, Vinyl = true,
    };

    private static readonly GenreStyle Trap = new()
    {
        Swing = 0.5, Kit = DrumsElectronic808,
        Groove = new("X......x..x.....", "........X.......", "X.x.X.x.X.r.X.rx", DrumSound.Clap, DrumSound.ClosedHat, "....X.......X...", DrumSound.Rim),
        BassStyle = BassStyle.FollowKick, Bass = Bass808,
        Comp = CompStyle.Sustain, Chords = DarkPad, Pulse = Bells, Lead = Pluck, MelodyDensity = 0.8,
        ChordsGainDb = -13, PulseGainDb = 2, DrumsGainDb = -6,
        MinorA = ["i(2) iv V", "i iv VI V"], MinorB = ["i VI iv V", "i iv V i"],
        MajorA = ["I V vi IV", "I(2) IV V"], MajorB = ["vi IV I V", "I vi IV V"],
        TargetLufs = -12, ReverbSize = 0.5f, ReverbReturn = 0.2f,
    };

    private static readonly GenreStyle House = new()
    {
        Swing = 0.54, Kit = DrumsElectronic909,
        Groove = new("X...X...X...X...", "....X.......X...", "..O...O...O...O.", DrumSound.Clap, DrumSound.OpenHat, "x.x.x.x.x.x.x.x.", DrumSound.ClosedHat),
        BassStyle = BassStyle.OffbeatEighths, Bass = SynthBass,
        Comp = CompStyle.OffbeatStabs, Chords = Organ, Pad = WarmPad, Lead = Pluck, MelodyDensity = 0.7,
        MinorA = ["i iv VII i", "i iv V i"], MinorB = ["i VI iv V", "i iv VI V"],
        MajorA = ["vi IV I V", "I IV V I"], MajorB = ["I V vi IV", "I vi IV V"],
        TargetLufs = -11.5, Sidechain = 0.5f,
    };

    private static readonly GenreStyle Techno = new()
    {
        Swing = 0.5, Kit = DrumsElectronic909,
        Groove = new("X...X...X...X...", "....X.......X...", "..x...x...x...x.", DrumSound.Clap, DrumSound.OpenHat, "xxxxxxxxxxxxxxxx", DrumSound.ClosedHat),
        BassStyle = BassStyle.Rolling, Bass = SubBass,
        Comp = CompStyle.OffbeatStabs, Chords = Stab, Pad = DarkPad, Arp = SynthBass,
        MinorA = ["i(2) iv V", "i(3) iv"], MinorB = ["i(2) iv V", "i iv V i"],
        MajorA = ["I(2) IV V", "I IV V I"], MajorB = ["I(2) IV V", "I IV V I"],
        TargetLufs = -11.5, ReverbSize = 0.7f, ReverbReturn = 0.2f, Sidechain = 0.6f,
    };

    private static readonly GenreStyle Trance = new()
    {
        Swing = 0.5, Kit = DrumsElectronic909,
        Groove = new("X...X...X...X...", "....X.......X...", "..O...O...O...O.", DrumSound.Clap, DrumSound.OpenHat, "x.x.x.x.x.x.x.x.", DrumSound.ClosedHat),
        BassStyle = BassStyle.Rolling, Bass = SynthBass,
        Comp = CompStyle.Sustain, Chords = Supersaw, Arp = Pluck, Lead = SawLead, MelodyDensity = 1.2,
        MinorA = ["i VI VII V", "i iv VI V"], MinorB = ["i VI VII V", "i VI iv V"],
        MajorA = ["vi IV I V", "I V vi IV"], MajorB = ["I V vi IV", "vi IV I V"],
        TargetLufs = -11.5, ReverbSize = 0.8f, ReverbReturn = 0.25f, Sidechain = 0.7f, Riser = true,
    };

    private static readonly GenreStyle DrumAndBass = new()
    {
        Swing = 0.5, Kit = DrumsAcoustic,
        Groove = new("X.........x.....", "....X.......X...", "x.x.x.x.x.x.x.x.", DrumSound.Snare, DrumSound.ClosedHat, "..x...x...x...x.", DrumSound.Shaker),
        BassStyle = BassStyle.Sustained, Bass = ReeseBass,
        Comp = CompStyle.QuarterPulse, Chords = ElectricPiano, Pad = WarmPad, Lead = Bells, MelodyDensity = 0.7, ChordsGainDb = -5,
        MinorA = ["i VI VII V", "i iv VI V"], MinorB = ["i iv VI V", "i VI iv V"],
        MajorA = ["vi IV I V", "I V vi IV"], MajorB = ["I V vi IV", "I vi IV V"],
        TargetLufs = -11.5, ReverbSize = 0.6f, Sidechain = 0.3f, Riser = true,
    };

    private static readonly GenreStyle Synthwave = new()
    {
        Swing = 0.5, Kit = DrumsElectronic808,
        Groove = new("X...X...X...X...", "....X.......X...", "x.x.x.x.x.x.x.x."),
        BassStyle = BassStyle.Octaves, Bass = SynthBass,
        Comp = CompStyle.Sustain, Chords = WarmPad, Arp = Pluck, Lead = SawLead, MelodyDensity = 0.8,
        MinorA = ["i VI VII V", "i VI iv V"], MinorB = ["i iv VI V", "i VI VII V"],
        MajorA = ["I V vi IV", "vi IV I V"], MajorB = ["I vi IV V", "I IV V I"],
        TargetLufs = -12, ReverbSize = 0.75f, ReverbReturn = 0.3f, Sidechain = 0.3f,
    };

    private static readonly GenreStyle Pop = new()
    {
        Swing = 0.5, Kit = DrumsElectronic909,
        Groove = new("X.......X.x.....", "....X.......X...", "x.x.x.x.x.x.x.x.", DrumSound.Clap),
        BassStyle = BassStyle.RootQuarters, Bass = SynthBass,
        Comp = CompStyle.QuarterPulse, Chords = Piano, Pad = WarmPad, Lead = Pluck, MelodyDensity = 1, ChordsGainDb = -6,
        MinorA = MinorCore, MinorB = ["i VI iv V", "i iv VI V"],
        MajorA = MajorCore, MajorB = ["I V vi IV", "vi IV I V"],
        TargetLufs = -12,
    };

    private static readonly GenreStyle Rock = new()
    {
        Swing = 0.5, Kit = DrumsAcoustic,
        Groove = new("X.......X.x.....", "....X.......X...", "X.X.X.X.X.X.X.X."),
        BassStyle = BassStyle.RootEighths, Bass = PickBass,
        Comp = CompStyle.PowerEighths, Chords = DrivenGuitar, Pad = Organ, Lead = DrivenGuitar, MelodyDensity = 0.9,
        MinorA = ["i iv V i", "i VI VII V"], MinorB = ["i VI iv V", "i iv VI V"],
        MajorA = ["I IV V I", "I V vi IV"], MajorB = ["I V vi IV", "I IV V I"],
        TargetLufs = -12, ReverbSize = 0.45f, ReverbReturn = 0.18f,
    };

    private static readonly GenreStyle Punk = Rock with
    {
        Groove = new("X.......X.......", "....X.......X...", "X.X.X.X.X.X.X.X."),
        // The organ stays, under the guitars: held triads keep the key and mode clear beneath power chords.
        BassStyle = BassStyle.RootEighths, PadGainDb = -17, MelodyDensity = 0.7, TargetLufs = -11.5,
    };

    private static readonly GenreStyle Funk = new()
    {
        Swing = 0.55, Kit = DrumsAcoustic,
        Groove = new("X..x....X.x..x..", "....X..x.x..X...", "xxxxxxxxxxxxxxxx"),
        BassStyle = BassStyle.Syncopated, Bass = FingerBass,
        Comp = CompStyle.FunkChops, Chords = Clav, Pad = Brass, Lead = Brass, MelodyDensity = 0.9,
        MinorA = ["i iv V i", "i7 iv7 V7 i7"], MinorB = ["i VI iv V", "i iv V i"],
        MajorA = ["I7 IV7 I7 V7", "I IV V I"], MajorB = ["I vi IV V", "I IV V I"],
        TargetLufs = -12, ReverbSize = 0.4f, ReverbReturn = 0.15f,
    };

    private static readonly GenreStyle Disco = Funk with
    {
        Swing = 0.5,
        Groove = new("X...X...X...X...", "....X.......X...", "x.O.x.O.x.O.x.O.", DrumSound.Snare, DrumSound.ClosedHat),
        BassStyle = BassStyle.Octaves, Comp = CompStyle.FunkChops, Chords = CleanGuitar, Pad = Strings, Lead = Strings,
        MajorA = ["I vi IV V", "I IV V I"], MajorB = ["vi IV I V", "I V vi IV"],
    };

    private static readonly GenreStyle Reggae = new()
    {
        Swing = 0.58, Kit = DrumsAcoustic,
        Groove = new("........X.......", "........X.......", "x.x.X.x.x.x.X.x.", DrumSound.Rim),
        BassStyle = BassStyle.OneDrop, Bass = SubBass,
        Comp = CompStyle.Skank, Chords = CleanGuitar, Pad = Organ, Lead = SquareLead, MelodyDensity = 0.7,
        MinorA = ["i iv i V", "i iv V i"], MinorB = ["i iv V i", "i VI iv V"],
        MajorA = ["I IV I V", "I IV V I"], MajorB = ["I IV V I", "I V vi IV"],
        TargetLufs = -12.5, ReverbSize = 0.55f, DelayBeats = 0.75,
    };

    private static readonly GenreStyle Jazz = new()
    {
        Swing = 0.64, SwingEighths = true, Kit = DrumsBrushes,
        Groove = new("x...x...x...x...", "......x.......x.", "....x.......x...", DrumSound.Snare, DrumSound.ClosedHat, "X...X.x.X...X.x.", DrumSound.Ride),
        BassStyle = BassStyle.Walking, Bass = UprightBass, BassGainDb = 0,
        Comp = CompStyle.QuarterPulse, Chords = Piano, Lead = Vibraphone, MelodyDensity = 1.1, ChordsGainDb = -6,
        MinorA = ["i iv V7 i", "i(2) iv V7"], MinorB = ["i iv V7 i", "i VI iv V7"],
        MajorA = ["Imaj7(2) vi7 V7", "I7 IV7 V7 Imaj7"], MajorB = ["Imaj7 IV7 V7 Imaj7", "I(2) vi V7"],
        TargetLufs = -14, ReverbSize = 0.5f, ReverbReturn = 0.2f,
    };

    // Slow swing: ride and brushes on the beat only, since swung eighths at 60-80 BPM read as double time.
    private static readonly GenreStyle JazzBallad = Jazz with
    {
        Groove = new("x...x...x...x...", "................", "....x.......x...", DrumSound.Snare, DrumSound.ClosedHat, "X...X...X...X...", DrumSound.Ride),
        TargetLufs = -14, Comp = CompStyle.Sustain, MelodyDensity = 0.8,
    };

    private static readonly GenreStyle Ambient = new()
    {
        Swing = 0.5, Kit = DrumsTaiko,
        Groove = new("................", "................", "................"),
        BassStyle = BassStyle.Sustained, Bass = SubBass,
        Comp = CompStyle.Sustain, Chords = WarmPad, Pulse = Marimba, Lead = Bells, MelodyDensity = 0.4,
        ChordsGainDb = -16, PulseGainDb = 1, BassGainDb = -13,
        MinorA = ["i(2) iv V", "i iv V i"], MinorB = ["i VI iv V", "i(2) iv V"],
        MajorA = ["I(2) IV V", "I IV V I"], MajorB = ["I IV V I", "I(2) IV V"],
        TargetLufs = -14.5, ReverbSize = 0.9f, ReverbReturn = 0.4f, DelayBeats = 1, // echoes on the beat, not between
    };

    private static readonly GenreStyle Cinematic = new()
    {
        Swing = 0.5, Kit = DrumsTaiko,
        Groove = new("X...X...X...X...", "................", "................", DrumSound.Snare, DrumSound.ClosedHat, "..........x.....", DrumSound.HighTom),
        BassStyle = BassStyle.Sustained, Bass = Strings,
        Comp = CompStyle.EighthPulse, Chords = Strings, Pad = Choir, Lead = Brass, MelodyDensity = 0.6,
        MinorA = ["i VI iv V", "i iv V i"], MinorB = ["i iv V i", "i VI iv V"],
        MajorA = ["I IV V I", "I vi IV V"], MajorB = ["I vi IV V", "I V vi IV"],
        TargetLufs = -13.5, ReverbSize = 0.9f, ReverbReturn = 0.35f,
    };

    private static readonly GenreStyle SoloPiano = new()
    {
        Swing = 0.52, Kit = DrumsTaiko,
        Groove = new("................", "................", "................"),
        BassStyle = BassStyle.BoomChick, Bass = Piano,
        Comp = CompStyle.BrokenChord, Chords = Piano, Lead = Piano, MelodyDensity = 0.9,
        MinorA = ["i iv V i", "i iv VI V"], MinorB = ["i VI iv V", "i iv V i"],
        MajorA = ["I vi IV V", "I IV V I"], MajorB = ["I IV V I", "I V vi IV"],
        TargetLufs = -14.5, ReverbSize = 0.7f, ReverbReturn = 0.3f,
    };

    private static readonly GenreStyle Folk = new()
    {
        Swing = 0.54, Kit = DrumsBrushes,
        Groove = new("X.......X.......", "....X.......X...", "x.x.x.x.x.x.x.x.", DrumSound.Rim, DrumSound.Shaker),
        BassStyle = BassStyle.BoomChick, Bass = UprightBass,
        Comp = CompStyle.Strum, Chords = AcousticGuitar, Lead = Flute, MelodyDensity = 0.8,
        MinorA = ["i iv V i", "i VI iv V"], MinorB = ["i iv VI V", "i iv V i"],
        MajorA = ["I IV I V", "I IV V I"], MajorB = ["I IV V I", "I vi IV V"],
        TargetLufs = -13.5, ReverbSize = 0.55f, ReverbReturn = 0.22f,
    };
}
