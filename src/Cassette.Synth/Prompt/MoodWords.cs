namespace Cassette.Synth.Prompt;

/// <summary>Mood words: which mode they suggest, and how they move energy (tempo, density) and brightness.</summary>
internal static class MoodWords
{
    public readonly record struct Mood(Mode? Mode, double Energy, double Brightness);

    public static readonly WordTable<Mood> Table = new(
        ("dark|darker|sad|melancholic|melancholy|moody|sombre|somber|gloomy|mysterious|haunting|ominous|tense|sinister|nostalgic|lonely|rainy|night|midnight", new Mood(Prompt.Mode.Minor, 0, -0.5)),
        ("happy|uplifting|bright|joyful|cheerful|sunny|hopeful|triumphant|euphoric|playful|summer|feel good|optimistic", new Mood(Prompt.Mode.Major, 0.2, 0.5)),
        ("calm|chill|chilled|relaxing|relaxed|peaceful|dreamy|mellow|soft|gentle|soothing|smooth|lazy|laid back|warm|cozy|cosy", new Mood(null, -0.5, -0.2)),
        ("energetic|driving|aggressive|intense|hard|powerful|heavy|pumping|hype|banger|anthemic", new Mood(null, 0.6, 0.3)));
}
