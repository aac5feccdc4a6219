using System.Globalization;
using System.Text.RegularExpressions;

namespace Cassette.Synth.Prompt;

/// <summary>Finds an explicit tempo: "Tempo: 90 BPM", "128bpm", "tempo 75", "BPM: 140", "at 100 beats per minute".</summary>
public static partial class TempoParser
{
    public const int Slowest = 40;
    public const int Fastest = 220;

    [GeneratedRegex(@"(?<bpm>\d{2,3}(?:\.\d+)?)\s*-?\s*(?:bpm|beats\s+per\s+minute|beats/min)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberThenUnit();

    [GeneratedRegex(@"\b(?:tempo|bpm)\s*(?:of|:|=|-|is|at|around|~)?\s*(?<bpm>\d{2,3}(?:\.\d+)?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WordThenNumber();

    public static bool TryParse(string text, out double bpm)
    {
        foreach (var pattern in new[] { NumberThenUnit(), WordThenNumber() })
        {
            var match = pattern.Match(text);
            if (match.Success && double.TryParse(match.Groups["bpm"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out bpm))
            {
                bpm = Math.Clamp(bpm, Slowest, Fastest);
                return true;
            }
        }
        bpm = 0;
        return false;
    }
}
