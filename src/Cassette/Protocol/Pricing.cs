using System;

namespace Cassette.Protocol
{
    /// <summary>fal's published price for the music generator: $0.02 per minute of output.</summary>
    internal static class Pricing
    {
        public const decimal DollarsPerOutputMinute = 0.02m;

        public static decimal Estimate(int durationSeconds) =>
            Math.Round(DollarsPerOutputMinute * durationSeconds / 60m, 4, MidpointRounding.AwayFromZero);
    }
}
