using System;
using System.Globalization;
using System.Linq;

namespace Cassette.Protocol
{
    /// <summary>What the module knows of one model on fal: its id and the durations it takes.</summary>
    internal sealed class ModelEntry
    {
        public ModelEntry(string id, int minDuration, int maxDuration)
        {
            Id = id;
            MinDuration = minDuration;
            MaxDuration = maxDuration;
        }

        public string Id { get; }
        public int MinDuration { get; }
        public int MaxDuration { get; }

        public bool Accepts(int seconds) => seconds >= MinDuration && seconds <= MaxDuration;

        public string Range => string.Format(CultureInfo.InvariantCulture, "{0} to {1}", MinDuration, MaxDuration);
    }

    /// <summary>
    /// The one place the models' input limits live. fal's pages: the music generator takes 10 to 180 s; the sound-effects
    /// generator "up to 30 seconds" (the lower bound of 1 s is the engine's and unpublished). A model not listed here is
    /// checked by the server alone.
    /// </summary>
    internal static class ModelCatalogue
    {
        public static readonly ModelEntry Music = new ModelEntry(FalModelId.MusicGenerator, 10, 180);
        public static readonly ModelEntry SoundEffects = new ModelEntry(FalModelId.SoundEffectsGenerator, 1, 30);

        public static readonly ModelEntry[] All = { Music, SoundEffects };

        /// <summary>The entry for a model id (owner matched case-insensitively, as fal does), or null for a model the module does not know.</summary>
        public static ModelEntry? Find(FalModelId model) =>
            All.FirstOrDefault(m => string.Equals(m.Id, model.FullId, StringComparison.OrdinalIgnoreCase));

        /// <summary>Every known model's range, for messages: "CassetteAI/music-generator 10 to 180, ...".</summary>
        public static string Ranges => string.Join(", ", All.Select(m => $"{m.Id} {m.Range}"));
    }
}
