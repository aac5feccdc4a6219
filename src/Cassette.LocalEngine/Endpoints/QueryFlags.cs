namespace Cassette.LocalEngine.Endpoints;

/// <summary>fal's clients send boolean query flags as 1/0 or true/false.</summary>
public static class QueryFlags
{
    public static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
