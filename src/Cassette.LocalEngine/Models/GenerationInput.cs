namespace Cassette.LocalEngine.Models;

/// <summary>The validated input of a submission.</summary>
public sealed record GenerationInput(string Prompt, int DurationSeconds, long? Seed);
