using System;

namespace Cassette.Protocol
{
    /// <summary>fal's published prices: the music generator $0.02 per output minute, the sound-effects generator $0.01 per generation.</summary>
    internal static class Pricing
    {
        public const decimal DollarsPerOutputMinute = 0.02m;
        public const decimal DollarsPerSoundEffect = 0.01m;

        public static decimal Estimate(int durationSeconds) =>
            Math.Round(DollarsPerOutputMinute * durationSeconds / 60m, 4, MidpointRounding.AwayFromZero);

        /// <summary>The estimate for a model, or null for a model whose price the module does not know.</summary>
        public static decimal? Estimate(FalModelId model, int durationSeconds)
        {
            if (string.Equals(model.AppPath, FalModelId.MusicGenerator, StringComparison.OrdinalIgnoreCase)) return Estimate(durationSeconds);
            if (string.Equals(model.AppPath, FalModelId.SoundEffectsGenerator, StringComparison.OrdinalIgnoreCase)) return DollarsPerSoundEffect;
            return null;
        }
    }
}
