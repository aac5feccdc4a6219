using System.Management.Automation;

namespace Cassette.Tests;

public class ParameterValidationTests
{
    [Theory]
    [InlineData(9)]
    [InlineData(181)]
    public void DurationOutsideTheModelsRangeIsRejectedBeforeAnyRequest(int duration)
    {
        using var ps = PowerShellHost.Create();
        // An unroutable queue address: any request that escaped validation would fail differently.
        ps.AddCommand("New-CassetteTrack").AddParameter("Prompt", "x").AddParameter("Duration", duration)
          .AddParameter("QueueUrl", "http://127.0.0.1:9/").AddParameter("ApiKey", "k");
        // The model's range is checked once -Model is known: a non-terminating error per prompt, and nothing sent.
        Assert.Empty(ps.Invoke());
        var error = Assert.Single(ps.Streams.Error);
        Assert.Equal("DurationOutOfRange,Cassette.Cmdlets.NewCassetteTrackCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Duration", error.Exception.Message);
        Assert.Contains("10 to 180", error.Exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void DurationBelowOneIsRejectedWhileBinding(int duration)
    {
        using var ps = PowerShellHost.Create();
        ps.AddCommand("New-CassetteTrack").AddParameter("Prompt", "x").AddParameter("Duration", duration)
          .AddParameter("QueueUrl", "http://127.0.0.1:9/").AddParameter("ApiKey", "k");
        var error = Assert.ThrowsAny<ParameterBindingException>(() => ps.Invoke());
        Assert.Equal("ParameterArgumentValidationError,Cassette.Cmdlets.NewCassetteTrackCommand", error.ErrorRecord.FullyQualifiedErrorId);
        Assert.Contains("-Duration", error.Message);
        Assert.Contains("1 to 30", error.Message);
    }
}
