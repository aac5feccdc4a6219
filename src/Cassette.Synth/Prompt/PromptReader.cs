namespace Cassette.Synth.Prompt;

/// <summary>Reads key, mode, tempo, genre, mood and instruments from free text. It never fails: unknown words are ignored.</summary>
public static class PromptReader
{
    private static readonly int[] MinorTonics = [9, 2, 4, 0, 7, 5, 11]; // A D E C G F B minor: common, comfortable registers
    private static readonly int[] MajorTonics = [0, 7, 2, 5, 9, 10, 3]; // C G D F A Bb Eb major

    public static PromptReading Read(string? prompt)
    {
        string text = prompt ?? "";
        ulong hash = StableHash.Of(text);
        var moods = MoodWords.Table.FindAll(text);
        var instruments = InstrumentWords.Table.FindAll(text).ToList();
        var (genre, flavour) = ReadGenre(text, moods, instruments);
        ResolveBareGuitar(text, genre, instruments);

        double energy = Math.Clamp(moods.Sum(m => m.Energy), -1, 1);
        double brightness = Math.Clamp(moods.Sum(m => m.Brightness), -1, 1);
        var tempoRange = GenreTempo.For(genre, flavour);

        bool keyFromPrompt = KeyParser.TryParse(text, out var key);
        if (!keyFromPrompt)
        {
            var mode = moods.Select(m => m.Mode).FirstOrDefault(m => m is not null) ?? tempoRange.UsualMode;
            var tonics = mode == Mode.Minor ? MinorTonics : MajorTonics;
            // The most common keys come up most often: pick among the first four, weighted to the first.
            int pick = (int)(StableHash.Mix(hash, 1) % 10) switch { < 4 => 0, < 7 => 1, < 9 => 2, _ => 3 };
            key = new MusicalKey(tonics[pick], mode, PreferFlats: tonics[pick] is 5 or 10 or 3);
        }

        bool tempoFromPrompt = TempoParser.TryParse(text, out double bpm);
        if (!tempoFromPrompt)
        {
            var words = TempoWords.Table.FindAll(text);
            double position = words.Count > 0
                ? words[0]
                : Math.Clamp((tempoRange.Usual - tempoRange.Slowest) / Math.Max(1, tempoRange.Fastest - tempoRange.Slowest)
                             + 0.25 * energy + (StableHash.Mix(hash, 2) % 100 / 100.0 - 0.5) * 0.2, 0, 1);
            bpm = tempoRange.At(position);
        }

        return new PromptReading(genre, flavour, key, keyFromPrompt, bpm, tempoFromPrompt, energy, brightness, instruments, hash);
    }

    private static (Genre, Flavour) ReadGenre(string text, IReadOnlyList<MoodWords.Mood> moods, IReadOnlyList<InstrumentWord> instruments)
    {
        var nouns = GenreWords.Nouns.FindAll(text);
        var flavours = GenreWords.Flavours.FindAll(text);
        Genre genre;
        if (nouns.Count > 0) genre = nouns[0];
        else if (GenreWords.Adjectives.FindAll(text) is { Count: > 0 } adjectives) genre = adjectives[0];
        else if (instruments.Count > 0 && instruments.All(i => i == InstrumentWord.Piano)) genre = Genre.SoloPiano;
        else if (instruments.Contains(InstrumentWord.Strings) || instruments.Contains(InstrumentWord.Choir)) genre = Genre.Cinematic;
        else genre = moods.Any(m => m.Energy < 0) ? Genre.LoFi : Genre.Pop;

        var flavour = flavours.Count == 0 ? Flavour.None : flavours[0];
        bool fits = (genre, flavour) is (Genre.Rock, Flavour.Punk) or (Genre.Funk, Flavour.Disco) or (Genre.Jazz, Flavour.Ballad)
            or (Genre.Pop, Flavour.Punk);
        if (!fits) flavour = Flavour.None;
        if (genre == Genre.Pop && flavour == Flavour.Punk) genre = Genre.Rock; // "pop punk" is punk
        return (genre, flavour);
    }

    private static void ResolveBareGuitar(string text, Genre genre, List<InstrumentWord> instruments)
    {
        if (instruments.Contains(InstrumentWord.AcousticGuitar) || instruments.Contains(InstrumentWord.ElectricGuitar)) return;
        if (InstrumentWords.BareGuitar.FindAll(text).Count == 0) return;
        bool electric = genre is Genre.Rock or Genre.Funk or Genre.Synthwave or Genre.Reggae or Genre.Pop;
        instruments.Add(electric ? InstrumentWord.ElectricGuitar : InstrumentWord.AcousticGuitar);
    }
}
