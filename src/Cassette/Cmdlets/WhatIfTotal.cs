using System.Globalization;

namespace Cassette.Cmdlets
{
    /// <summary>What -WhatIf on a batch would have generated: how many tracks, how many seconds, and what they would cost.</summary>
    internal sealed class WhatIfTotal
    {
        private decimal _cost;
        private bool _costUnknown;

        public int Count { get; private set; }
        public int Seconds { get; private set; }

        public void Add(int seconds, decimal? cost)
        {
            Count++;
            Seconds += seconds;
            if (cost is decimal known) _cost += known;
            else _costUnknown = true;
        }

        public string Describe() => string.Format(CultureInfo.InvariantCulture,
            "Generate {0} tracks, {1} s of audio in total ({2}{3}).", Count, Seconds, Estimate(_cost), _costUnknown ? ", plus the tracks whose cost is unknown" : "");

        public static string Estimate(decimal? cost) => cost is decimal c
            ? string.Format(CultureInfo.InvariantCulture, "estimated cost ${0:0.####}", c)
            : "cost unknown for this model";
    }
}
