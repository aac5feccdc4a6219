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

    [Theory]
    [InlineData("New-CassetteTrack", "Cassette.Cmdlets.NewCassetteTrackCommand")]
    [InlineData("Get-CassetteJob", "Cassette.Cmdlets.GetCassetteJobCommand")]
    [InlineData("Save-CassetteAudio", "Cassette.Cmdlets.SaveCassetteAudioCommand")]
    [InlineData("Stop-CassetteJob", "Cassette.Cmdlets.StopCassetteJobCommand")]
    public void ATimeoutLongerThanATimerTakesIsRejectedWhileBinding(string command, string commandType)
    {
        // 2147483647 s passed validation and then made CancelAfter throw: UnexpectedError, or a raw exception from Stop-CassetteJob.
        using var ps = PowerShellHost.Create();
        ps.AddCommand(command).AddParameter("TimeoutSec", int.MaxValue).AddParameter("ApiKey", "k");
        if (command == "New-CassetteTrack") ps.AddParameter("Prompt", "x").AddParameter("Duration", 10).AddParameter("QueueUrl", "http://127.0.0.1:9/");
        else if (command == "Save-CassetteAudio") ps.AddParameter("InputObject", "http://127.0.0.1:9/a.wav").AddParameter("Path", Path.GetTempPath());
        else ps.AddParameter("RequestId", "req-1").AddParameter("QueueUrl", "http://127.0.0.1:9/");
        if (command == "Get-CassetteJob") ps.AddParameter("Wait");
        var error = Assert.ThrowsAny<ParameterBindingException>(() => ps.Invoke());
        Assert.Equal("ParameterArgumentValidationError," + commandType, error.ErrorRecord.FullyQualifiedErrorId);
        Assert.Contains("TimeoutSec", error.Message);
        Assert.Contains("4294967", error.Message);
    }
}
