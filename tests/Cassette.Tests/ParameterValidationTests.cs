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
        var error = Assert.ThrowsAny<ParameterBindingException>(() => ps.Invoke());
        Assert.Equal("ParameterArgumentValidationError,Cassette.Cmdlets.NewCassetteTrackCommand", error.ErrorRecord.FullyQualifiedErrorId);
        Assert.Contains("Duration", error.Message);
        Assert.Contains("180", error.Message);
    }
}
