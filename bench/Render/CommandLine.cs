namespace Cassette.Bench.Render;

/// <summary>The "--name value" options the bench commands take; a missing required one is a usage error.</summary>
internal static class CommandLine
{
    public static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public static string Required(string[] args, string name) =>
        Option(args, name) ?? throw new ArgumentException($"missing {name}: usage is {name} VALUE");

    /// <summary>The prompt and length every command that renders one track needs.</summary>
    public static (string Prompt, int Seconds) Track(string[] args) =>
        (Required(args, "--prompt"), int.Parse(Option(args, "--seconds") ?? "30"));
}
