using System.Text.RegularExpressions;

namespace Cassette.Synth.Prompt;

/// <summary>Phrases mapped to values, matched as whole words anywhere in a prompt, the earliest phrase first.</summary>
internal sealed class WordTable<T>
{
    private readonly (Regex Pattern, T Value)[] _entries;

    public WordTable(params (string Phrases, T Value)[] entries)
    {
        Phrases = entries.SelectMany(e => e.Phrases.Split('|').Select(p => (p.Trim(), e.Value))).ToArray();
        // Each entry lists "|"-separated phrases; spaces match any run of spaces or hyphens ("hip hop" = "hip-hop").
        _entries = entries.Select(e => (new Regex(
            @"(?<![\p{L}\p{N}])(?:" + string.Join("|", e.Phrases.Split('|').Select(p => Regex.Escape(p.Trim()).Replace(@"\ ", @"[\s\-]*"))) + @")(?![\p{L}\p{N}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled), e.Value)).ToArray();
    }

    /// <summary>Every phrase the table knows, with its value: the soak (bench/Soak) draws its prompts from them.</summary>
    public IReadOnlyList<(string Phrase, T Value)> Phrases { get; }

    /// <summary>
    /// Every value whose phrase occurs, ordered by where it first occurs; at the same place the longer phrase wins
    /// ("garage rock" is rock, "garage" alone is house).
    /// </summary>
    public IReadOnlyList<T> FindAll(string text)
    {
        var found = new List<(int Index, int Length, T Value)>();
        foreach (var (pattern, value) in _entries)
        {
            var match = pattern.Match(text);
            if (match.Success) found.Add((match.Index, match.Length, value));
        }
        return found.OrderBy(f => f.Index).ThenByDescending(f => f.Length).Select(f => f.Value).Distinct().ToList();
    }
}
