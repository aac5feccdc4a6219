using System.Globalization;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Cassette.LocalEngine;

/// <summary>
/// The text `cassette-engine --help` prints. Every option comes from <see cref="EngineOptions"/> itself (its
/// properties, their defaults and their XML documentation), so the list cannot drift from what the engine binds.
/// </summary>
internal static class CommandLineHelp
{
    private static readonly string[] HelpSwitches = ["--help", "-h", "-?", "/?"];

    public static bool IsRequested(IEnumerable<string> args) =>
        args.Any(arg => HelpSwitches.Contains(arg, StringComparer.OrdinalIgnoreCase));

    public static string Text()
    {
        var summaries = ReadSummaries();
        var defaults = new EngineOptions();
        // --urls belongs to the web host rather than to EngineOptions, but users need it first.
        var rows = new List<(string Option, string Default, string Meaning)>
        {
            ("--urls <url>", "http://localhost:5000", "where to listen (also ASPNETCORE_URLS); port 0 picks a free port, printed at start-up"),
        };
        foreach (var property in typeof(EngineOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanWrite)
                     .OrderBy(p => p.MetadataToken))
        {
            summaries.TryGetValue($"P:{typeof(EngineOptions).FullName}.{property.Name}", out var meaning);
            rows.Add(($"--{property.Name} <{ValueHint(property.PropertyType)}>", FormatDefault(property.GetValue(defaults)), meaning ?? ""));
        }

        var version = typeof(CommandLineHelp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        int optionWidth = rows.Max(r => r.Option.Length) + 2;
        int defaultWidth = Math.Max("default".Length, rows.Max(r => r.Default.Length)) + 2;
        var text = new StringBuilder()
            .AppendLine($"Cassette local engine {version}: a fal-compatible queue server with a built-in music synthesizer.")
            .AppendLine()
            .AppendLine("Usage: cassette-engine [--urls http://127.0.0.1:0] [--Option value]...")
            .AppendLine()
            .AppendLine($"Every option is also read from {EngineHost.EnvironmentPrefix}<Option>; the command line wins. Time spans are hh:mm:ss[.fff].")
            .AppendLine("It prints \"Cassette local engine listening on <url>\" once it listens, and stops gracefully on Ctrl+C or SIGTERM.")
            .AppendLine()
            .AppendLine($"{"option".PadRight(optionWidth)}{"default".PadRight(defaultWidth)}meaning");
        foreach (var (option, @default, meaning) in rows)
            text.AppendLine($"{option.PadRight(optionWidth)}{@default.PadRight(defaultWidth)}{meaning}".TrimEnd());
        return text.ToString();
    }

    private static string ValueHint(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => "true|false",
        var t when t == typeof(int) => "count",
        var t when t == typeof(double) => "seconds",
        var t when t == typeof(TimeSpan) => "hh:mm:ss",
        _ => "text",
    };

    private static string FormatDefault(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "none",
    };

    /// <summary>The summaries from the XML documentation file built beside the assembly; empty if it is missing.</summary>
    private static Dictionary<string, string> ReadSummaries()
    {
        var path = Path.Combine(AppContext.BaseDirectory, typeof(CommandLineHelp).Assembly.GetName().Name + ".xml");
        if (!File.Exists(path))
            return [];
        return XDocument.Load(path).Descendants("member")
            .Where(member => member.Attribute("name") is not null && member.Element("summary") is not null)
            .ToDictionary(
                member => member.Attribute("name")!.Value,
                member => string.Join(' ', member.Element("summary")!.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }
}
