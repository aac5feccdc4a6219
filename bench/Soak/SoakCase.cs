using System.Globalization;
using Cassette.Synth.Prompt;

namespace Cassette.Bench.Soak;

/// <summary>One render to try: everything needed to replay it with <c>--replay</c>.</summary>
public sealed record SoakCase(int Index, string Prompt, long Seed, int DurationSeconds)
{
    public override string ToString() =>
        $"#{Index} prompt=\"{Prompt}\" seed={Seed} duration={DurationSeconds} (replay: --replay \"{Prompt}\" --render-seed {Seed} --duration {DurationSeconds})";
}

/// <summary>
/// Random prompts over every phrase the prompt reader knows, read from the synthesizer's own tables (genres,
/// adjectives, flavours, moods, instruments, tempo words), with keys and tempos in every form it parses.
/// </summary>
public sealed class CaseGenerator(int seed, int minSeconds, int maxSeconds)
{
    private static readonly string[] Genres = Phrases(GenreWords.Nouns).Concat(Phrases(GenreWords.Adjectives)).Concat(Phrases(GenreWords.Flavours)).ToArray();
    private static readonly string[] Moods = Phrases(MoodWords.Table);
    private static readonly string[] Instruments = Phrases(InstrumentWords.Table).Concat(Phrases(InstrumentWords.BareGuitar)).ToArray();
    private static readonly string[] TempoPhrases = Phrases(TempoWords.Table);
    private static readonly string[] Letters = ["C", "D", "E", "F", "G", "A", "B", "c", "f", "g"];
    private static readonly string[] Accidentals = ["", "", "#", "b", "♯", "♭", "-flat", " sharp"];
    private static readonly string[] Modes = ["major", "minor", "maj", "min", "dorian", "phrygian", "lydian", "mixolydian", "locrian", "aeolian", "ionian"];
    private static readonly string[] Fillers = ["track", "beat", "song", "with", "and", "for a video", "loop", "", "groove"];
    private readonly Random _random = new(seed);
    private readonly object _gate = new();

    public static int VocabularySize => Genres.Length + Moods.Length + Instruments.Length + TempoPhrases.Length;

    public SoakCase Next(int index)
    {
        lock (_gate)
        {
            var words = new List<string>();
            int genres = _random.Next(0, 3);
            for (int i = 0; i < genres; i++) words.Add(Pick(Genres));
            if (_random.Next(2) == 0) words.Add(Pick(Moods));
            int instruments = _random.Next(0, 4);
            for (int i = 0; i < instruments; i++) words.Add(Pick(Instruments));
            words.Add(Pick(Fillers));
            switch (_random.Next(4))
            {
                case 0: words.Add(Pick(TempoPhrases)); break;
                case 1: words.Add(Tempo()); break;
            }
            if (_random.Next(3) != 0) words.Add(Key());
            Shuffle(words);
            string prompt = string.Join(" ", words.Where(w => w.Length > 0));
            if (prompt.Length == 0) prompt = Pick(Genres);
            long renderSeed = _random.NextInt64(0, int.MaxValue);
            int duration = _random.Next(minSeconds, maxSeconds + 1);
            return new SoakCase(index, prompt, renderSeed, duration);
        }
    }

    private string Tempo()
    {
        // Out of the parser's 40..220 as well, so the clamps are exercised.
        int bpm = _random.Next(20, 260);
        return _random.Next(4) switch
        {
            0 => $"{bpm} BPM",
            1 => $"Tempo: {bpm.ToString(CultureInfo.InvariantCulture)}",
            2 => $"at {bpm} beats per minute",
            _ => $"{bpm}bpm",
        };
    }

    private string Key()
    {
        string note = Pick(Letters) + Pick(Accidentals);
        return _random.Next(5) switch
        {
            0 => $"Key: {note} {Pick(Modes)}",
            1 => $"in {note.ToUpperInvariant()[..1]}",
            2 => $"{note} {Pick(Modes)}",
            3 => $"{note.ToUpperInvariant()[..1]}{Pick(["#", "b", ""])}m",
            _ => $"in the key of {note}",
        };
    }

    private string Pick(string[] choices) => choices[_random.Next(choices.Length)];

    private void Shuffle(List<string> words)
    {
        for (int i = words.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (words[i], words[j]) = (words[j], words[i]);
        }
    }

    private static string[] Phrases<T>(WordTable<T> table) => table.Phrases.Select(p => p.Phrase).Distinct().ToArray();
}
