namespace Cassette.Synth.Prompt;

/// <summary>A genre's usual tempo range and its default, in beats per minute, and the mode it leans to.</summary>
public readonly record struct GenreTempo(double Slowest, double Usual, double Fastest, Mode UsualMode)
{
    public static GenreTempo For(Genre genre, Flavour flavour) => (genre, flavour) switch
    {
        (Genre.Rock, Flavour.Punk) => new(160, 172, 190, Mode.Major),
        (Genre.Funk, Flavour.Disco) => new(110, 120, 128, Mode.Major),
        (Genre.Jazz, Flavour.Ballad) => new(60, 70, 80, Mode.Major),
        (Genre.HipHop, _) => new(80, 90, 98, Mode.Minor),
        (Genre.LoFi, _) => new(70, 78, 88, Mode.Minor),
        (Genre.Trap, _) => new(130, 140, 160, Mode.Minor),
        (Genre.House, _) => new(118, 124, 128, Mode.Minor),
        (Genre.Techno, _) => new(125, 130, 140, Mode.Minor),
        (Genre.Trance, _) => new(128, 138, 142, Mode.Minor),
        (Genre.DrumAndBass, _) => new(165, 174, 178, Mode.Minor),
        (Genre.Synthwave, _) => new(84, 100, 118, Mode.Minor),
        (Genre.Pop, _) => new(96, 110, 124, Mode.Major),
        (Genre.Rock, _) => new(100, 120, 140, Mode.Major),
        (Genre.Funk, _) => new(96, 106, 115, Mode.Minor),
        (Genre.Reggae, _) => new(64, 76, 90, Mode.Major),
        (Genre.Jazz, _) => new(100, 132, 170, Mode.Major),
        (Genre.Ambient, _) => new(60, 70, 84, Mode.Major),
        (Genre.Cinematic, _) => new(70, 90, 110, Mode.Minor),
        (Genre.SoloPiano, _) => new(60, 72, 96, Mode.Major),
        (Genre.Folk, _) => new(84, 100, 120, Mode.Major),
        _ => new(96, 110, 124, Mode.Major),
    };

    /// <summary>The tempo at a position in the range (0 = slowest, 1 = fastest), rounded to a whole BPM.</summary>
    public double At(double position) => Math.Round(Math.Clamp(Slowest + position * (Fastest - Slowest), TempoParser.Slowest, TempoParser.Fastest));
}
