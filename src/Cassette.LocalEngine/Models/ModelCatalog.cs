namespace Cassette.LocalEngine.Models;

/// <summary>
/// A model the engine serves, with the duration range fal's schema allows for it and the longest prompt it takes
/// (fal publishes none; 10,000 characters is the module's limit, so the engine refuses what the module would).
/// </summary>
public sealed record ModelSpec(string AppPath, int MinDuration, int MaxDuration, int MaxPromptLength = 10_000);

/// <summary>The CassetteAI models on fal that the built-in synthesizer can stand in for.</summary>
public static class ModelCatalog
{
    public static readonly ModelSpec MusicGenerator = new("CassetteAI/music-generator", 10, 180);
    public static readonly ModelSpec SoundEffectsGenerator = new("CassetteAI/sound-effects-generator", 1, 30);

    private static readonly ModelSpec[] Models = [MusicGenerator, SoundEffectsGenerator];

    /// <summary>fal's own pages spell the owner both "CassetteAI" and "cassetteai", so ids match case-insensitively.</summary>
    public static ModelSpec? Find(string owner, string app) =>
        Array.Find(Models, m => string.Equals(m.AppPath, owner + "/" + app, StringComparison.OrdinalIgnoreCase));
}
