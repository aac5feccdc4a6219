using System.Globalization;
using Cassette.Lifecycle;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// New-CassetteTrack -MaxCost: the estimated spend of one invocation, summed over its whole pipeline input. The first
    /// item that would pass the cap is refused before it is submitted; every paid item after it is refused too, so a
    /// cheaper one never slips in out of order. Reused batch items cost nothing and always pass. Used on the pipeline
    /// thread only.
    /// </summary>
    internal sealed class SpendingCap
    {
        public SpendingCap(decimal limit) => Limit = limit;

        public decimal Limit { get; }
        /// <summary>What the items let through so far are estimated to cost.</summary>
        public decimal Total { get; private set; }
        private bool _reached;

        /// <summary>The refusal for an item of this cost, or null when it fits (then <see cref="Charge"/> it once it goes ahead).</summary>
        public CassetteException? Refusal(string prompt, string model, decimal? cost)
        {
            if (cost == 0m) return null;
            string item = $"New-CassetteTrack refused \"{TrackInput.Shorten(prompt)}\" before submitting it";
            if (cost is null)
            {
                _reached = true;
                return new CassetteException(CassetteErrors.MaxCostExceeded,
                    $"{item}: the price of {model} is unknown, so -MaxCost {Money(Limit)} cannot be kept (running total {Money(Total)}).");
            }
            if (_reached)
                return new CassetteException(CassetteErrors.MaxCostExceeded,
                    $"{item}: an earlier item already reached -MaxCost {Money(Limit)} (running total {Money(Total)}), and nothing is submitted after it.");
            if (Total + cost.Value <= Limit) return null;
            _reached = true;
            return new CassetteException(CassetteErrors.MaxCostExceeded,
                $"{item}: its estimated cost {Money(cost.Value)} would bring the total to {Money(Total + cost.Value)}, past -MaxCost {Money(Limit)} " +
                $"(running total {Money(Total)}).");
        }

        public void Charge(decimal cost) => Total += cost;

        /// <summary>"running total $0.02 of -MaxCost $0.025", counting an item of this cost, for -WhatIf and confirmation.</summary>
        public string Describe(decimal cost) => $"running total {Money(Total + cost)} of -MaxCost {Money(Limit)}";

        public static string Money(decimal dollars) => string.Format(CultureInfo.InvariantCulture, "${0:0.00##}", dollars);
    }
}
