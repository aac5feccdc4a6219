using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Cassette.Cmdlets;

namespace Cassette.Tests;

/// <summary>A PowerShell runspace with the module's cmdlets loaded from the assembly under test.</summary>
internal static class PowerShellHost
{
    public static PowerShell Create()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(NewCassetteTrackCommand).Assembly.Location);
        return PowerShell.Create(state);
    }
}
