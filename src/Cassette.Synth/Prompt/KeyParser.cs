using System.Text.RegularExpressions;

namespace Cassette.Synth.Prompt;

/// <summary>
/// Finds a key in the forms people write: "Key: D Minor", "in F# minor", "Eb major", "Bb", "C#m", "A-flat minor",
/// "D dorian". Church modes fold into major or minor by their third, which is what listeners and key detectors hear.
/// </summary>
public static partial class KeyParser
{
    private const string Letter = "(?<letter>[A-Ga-g])";
    private const string Accidental = @"(?:\s*-?\s*(?<acc>#|♯|b|♭|sharp|flat)(?![a-ln-z]))?(?![a-ln-z])";
    private const string ModeWord = @"(?<mode>major|minor|maj|min|ionian|aeolian|dorian|phrygian|lydian|mixolydian|locrian)\b";

    // "Key: D minor", "key of Eb", "in the key of c# minor": the word "key" makes a bare letter safe to read.
    [GeneratedRegex(@"\bkey\s*(?:of|:|=|-)?\s*" + Letter + Accidental + @"\s*-?\s*(?:" + ModeWord + @"|(?<m>m)\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AfterKeyWord();

    // "D minor", "f# Minor", "Bb major", "E-flat dorian" anywhere: a mode word makes the letter safe.
    [GeneratedRegex(@"(?<![A-Za-z])" + Letter + Accidental + @"\s*-?\s*" + ModeWord, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WithModeWord();

    // "C#m", "Ebm", "Am", "Bb", "F#": an upper-case letter with an accidental or an "m" glued on ("I am" stays prose).
    [GeneratedRegex(@"(?<![A-Za-z])(?<letter>[A-G])(?:(?<acc>#|♯|b|♭)(?<m>m)?|(?<m>m))(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ChordSymbol();

    // "in A", "in G": only an upper-case letter after "in", so "in a hurry" is prose.
    [GeneratedRegex(@"\bin\s+(?<letter>[A-G])(?![A-Za-z0-9#♯♭])", RegexOptions.CultureInvariant)]
    private static partial Regex AfterIn();

    private static readonly int[] LetterPitch = [9, 11, 0, 2, 4, 5, 7]; // A B C D E F G

    public static bool TryParse(string text, out MusicalKey key)
    {
        foreach (var pattern in new[] { AfterKeyWord(), WithModeWord(), ChordSymbol(), AfterIn() })
        {
            var match = PreferCapitalised(pattern.Matches(text));
            if (match is not null)
            {
                key = FromMatch(match);
                return true;
            }
        }
        key = default;
        return false;
    }

    // "a minor tweak in E minor" means E minor: a capital letter is more likely a note name than an article.
    private static Match? PreferCapitalised(MatchCollection matches)
    {
        foreach (Match match in matches)
            if (char.IsUpper(match.Groups["letter"].Value[0])) return match;
        return matches.Count > 0 ? matches[0] : null;
    }

    private static MusicalKey FromMatch(Match match)
    {
        int pitch = LetterPitch[char.ToUpperInvariant(match.Groups["letter"].Value[0]) - 'A'];
        string accidental = match.Groups["acc"].Value.ToLowerInvariant();
        bool flat = accidental is "b" or "♭" or "flat";
        if (flat) pitch += 11;
        else if (accidental is "#" or "♯" or "sharp") pitch += 1;
        var mode = match.Groups["m"].Success ? Mode.Minor : ModeFromWord(match.Groups["mode"].Value);
        return new MusicalKey(pitch % 12, mode, flat);
    }

    private static Mode ModeFromWord(string word) => word.ToLowerInvariant() switch
    {
        "minor" or "min" or "aeolian" or "dorian" or "phrygian" or "locrian" => Mode.Minor,
        _ => Mode.Major,
    };
}
