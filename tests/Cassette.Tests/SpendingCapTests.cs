using Cassette.Cmdlets;

namespace Cassette.Tests;

/// <summary>-MaxCost: items within the cap pass, the first past it and every paid item after it are refused, reused ones are free.</summary>
public sealed class SpendingCapTests
{
    private const string Music = "CassetteAI/music-generator";

    [Fact]
    public void TheFirstItemPastTheCapIsRefusedWithTheRunningTotal()
    {
        var cap = new SpendingCap(0.025m);
        Assert.Null(cap.Refusal("one", Music, 0.01m));
        cap.Charge(0.01m);
        Assert.Null(cap.Refusal("two", Music, 0.01m));
        cap.Charge(0.01m);
        var refused = cap.Refusal("three", Music, 0.01m);
        Assert.NotNull(refused);
        Assert.Same(CassetteErrors.MaxCostExceeded, refused!.Error);
        Assert.Equal(System.Management.Automation.ErrorCategory.LimitsExceeded, refused.Category);
        Assert.Contains("\"three\"", refused.Message);
        Assert.Contains("running total $0.02)", refused.Message);
        Assert.Contains("-MaxCost $0.025", refused.Message);
        // A cheaper item after the refusal does not slip in; a reused (free) one does.
        Assert.NotNull(cap.Refusal("four", Music, 0.001m));
        Assert.Null(cap.Refusal("reused", Music, 0m));
        Assert.Equal(0.02m, cap.Total);
    }

    [Fact]
    public void AnItemThatFillsTheCapExactlyFitsAndAnUnknownPriceIsRefused()
    {
        var cap = new SpendingCap(0.02m);
        Assert.Null(cap.Refusal("exact", Music, 0.02m));
        cap.Charge(0.02m);
        Assert.Equal("running total $0.02 of -MaxCost $0.02", cap.Describe(0m));
        Assert.Contains("price of someone/else is unknown", new SpendingCap(1m).Refusal("x", "someone/else", null)!.Message);
        Assert.NotNull(new SpendingCap(0m).Refusal("anything paid", Music, 0.0033m));
    }
}
