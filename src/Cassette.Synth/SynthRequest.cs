namespace Cassette.Synth;

/// <summary>What to render: the user's prompt, the length in whole seconds and an optional seed.</summary>
public sealed record SynthRequest(string Prompt, int DurationSeconds, long? Seed = null)
{
    public const int MinDurationSeconds = 1;
    public const int MaxDurationSeconds = 600;
}
