using System.Text.RegularExpressions;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Composition;

/// <summary>
/// Parses progressions written as Roman numerals, as musicians write them: "i iv V i", "I(2) vi ii7 V7",
/// "bVII", "Imaj7". Upper case is a major triad, lower case minor; "(n)" holds the chord for n bars. Degrees come
/// from the mode's natural scale (so "VI" in minor is the flat sixth); a leading "b" lowers the major-scale degree.
/// </summary>
internal static partial class RomanNumerals
{
    private static readonly int[] MajorScale = [0, 2, 4, 5, 7, 9, 11];
    private static readonly int[] MinorScale = [0, 2, 3, 5, 7, 8, 10];
    private static readonly string[] Numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii"];

    [GeneratedRegex(@"^(?<flat>b)?(?<numeral>[ivIV]+)(?<suffix>maj7|7|sus4|sus2|add9|5|dim)?(?:\((?<bars>\d+(?:\.\d+)?)\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    /// <summary>The chords and their lengths in bars.</summary>
    public static IReadOnlyList<(Chord Chord, double Bars)> Parse(string progression, Mode mode)
    {
        var result = new List<(Chord, double)>();
        foreach (string token in progression.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Token().Match(token);
            if (!match.Success) throw new FormatException($"'{token}' is not a Roman numeral chord.");
            string numeral = match.Groups["numeral"].Value;
            int degree = Array.IndexOf(Numerals, numeral.ToLowerInvariant());
            if (degree < 0) throw new FormatException($"'{numeral}' is not a Roman numeral.");
            bool flat = match.Groups["flat"].Success;
            int root = flat ? MajorScale[degree] - 1 : (mode == Mode.Major ? MajorScale : MinorScale)[degree];
            bool major = char.IsUpper(numeral[0]);
            double bars = match.Groups["bars"].Success ? double.Parse(match.Groups["bars"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            result.Add((new Chord((root + 12) % 12, Intervals(major, match.Groups["suffix"].Value)), bars));
        }
        return result;
    }

    private static int[] Intervals(bool major, string suffix) => suffix switch
    {
        "maj7" => [0, 4, 7, 11],
        "7" => major ? [0, 4, 7, 10] : [0, 3, 7, 10],
        "sus4" => [0, 5, 7],
        "sus2" => [0, 2, 7],
        "add9" => major ? [0, 4, 7, 14] : [0, 3, 7, 14],
        "5" => [0, 7, 12],
        "dim" => [0, 3, 6],
        _ => major ? [0, 4, 7] : [0, 3, 7],
    };
}
