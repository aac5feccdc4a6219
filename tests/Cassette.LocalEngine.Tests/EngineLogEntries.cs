using System.Text.RegularExpressions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Reads the engine's console log as the launcher kept it. Each entry starts with a "level: category[event]" line
/// (the console logger's simple format, the engine's default) and goes on with indented lines: the message, then
/// the exception with its stack.
/// </summary>
public static partial class EngineLogEntries
{
    [GeneratedRegex(@"^(?<level>trce|dbug|info|warn|fail|crit): (?<category>[^\s\[]+)\[\d+\]")]
    private static partial Regex EntryStart();

    /// <summary>
    /// The errors the engine's own code logged (a runner failure, say), each with its message and exception. Kestrel's
    /// own errors are left out: the fault rules provoke some on purpose (a truncated file answer is a Content-Length
    /// mismatch to Kestrel).
    /// </summary>
    public static IReadOnlyList<string> EngineErrors(string log)
    {
        var errors = new List<string>();
        List<string>? current = null;
        foreach (string line in log.Replace("\r", "").Split('\n'))
        {
            var start = EntryStart().Match(line);
            if (start.Success)
            {
                bool engineError = start.Groups["level"].Value is "fail" or "crit"
                    && start.Groups["category"].Value.StartsWith("Cassette.", StringComparison.Ordinal);
                current = engineError ? [line] : null;
                if (current is not null) errors.Add("");
            }
            else if (current is not null && line.StartsWith(' '))
            {
                current.Add(line);
            }
            else
            {
                current = null;
            }
            if (current is not null) errors[^1] = string.Join(Environment.NewLine, current);
        }
        return errors;
    }
}
