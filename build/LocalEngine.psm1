# Starts and stops the Cassette local engine as a separate process, the way a user would run it.
# Used by build.ps1 (Demo, Bench), the Pester suites and the benchmarks. The launching itself is
# build/EngineLauncher.cs, the same code the xunit projects and bench/Soak compile in, so every caller starts the
# engine with the same command line and waits for its "listening on" line the same way.

Set-StrictMode -Version 3

Import-Module (Join-Path $PSScriptRoot 'CompiledTypes.psm1')
Import-CompiledType -Path (Join-Path $PSScriptRoot 'EngineLauncher.cs') -TypeName 'Cassette.EngineSupport.LocalEngineProcess'

function Get-PwshCommand {
    <# The command line that starts another pwsh like this one: "dotnet pwsh.dll" when running as the .NET tool. #>
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Start-CassetteLocalEngine {
    <#
    .SYNOPSIS
    Starts the local engine on a free loopback port and returns its address, key, process and log.
    .DESCRIPTION
    Waits for the engine's "listening on" line; StartTimeoutSec only stops a hang, so it is generous. Everything
    the engine writes goes to LogPath. With -LogFolder the log is the caller's (a test harness keeps it, and
    prints it when a test failed): Stop-CassetteLocalEngine leaves it. Without, it goes to the temporary folder and
    is deleted when the engine stops.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $EnginePath,
        [string] $ApiKey = ('local-' + [guid]::NewGuid().ToString('N')),
        [string[]] $ArgumentList = @(),
        [int] $StartTimeoutSec = 120,
        [string] $LogFolder,
        [string] $LogName = 'cassette-engine'
    )
    $folder = if ($LogFolder) { $LogFolder } else { [IO.Path]::GetTempPath() }
    $null = New-Item -ItemType Directory -Path $folder -Force
    $logPath = Join-Path $folder ('{0}-{1}.log' -f $LogName, [guid]::NewGuid().ToString('N'))
    try {
        $launched = [Cassette.EngineSupport.LocalEngineProcess]::Start(
            (Resolve-Path -LiteralPath $EnginePath).Path, $ApiKey, [string[]] $ArgumentList, [TimeSpan]::FromSeconds($StartTimeoutSec), $logPath)
    }
    catch [System.Management.Automation.MethodInvocationException] {
        # The launcher's own message (why the engine did not start, and its output) without PowerShell's wrapping.
        throw $_.Exception.InnerException
    }
    [pscustomobject]@{
        PSTypeName = 'Cassette.LocalEngineProcess'
        Url        = $launched.Url.AbsoluteUri
        ApiKey     = $ApiKey
        Process    = $launched.Process
        LogPath    = $launched.LogPath
        KeepLog    = [bool] $LogFolder
        Launcher   = $launched
    }
}

function Stop-CassetteLocalEngine {
    <#
    .SYNOPSIS
    Asks the engine to shut down gracefully (SIGTERM), so it removes its temporary files; kills it if it hangs.
    .DESCRIPTION
    The engine's log is deleted unless -KeepLog is given or the engine was started with -LogFolder (test harnesses
    keep it, and print it when a test failed).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Engine, [int] $TimeoutSec = 15, [switch] $KeepLog)
    process {
        $null = $Engine.Launcher.Stop([TimeSpan]::FromSeconds($TimeoutSec))
        if (-not ($KeepLog -or $Engine.KeepLog)) { $Engine.Launcher.DeleteLog() }
    }
}

function Get-CassetteLocalEngineLogTail {
    <# The last lines an engine wrote, running or stopped, from its log file. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $LogPath, [int] $Lines = 60)
    if (-not (Test-Path -LiteralPath $LogPath)) { return "(no engine log at $LogPath)" }
    (Get-Content -LiteralPath $LogPath -Tail $Lines) -join [Environment]::NewLine
}

function Write-CassetteLocalEngineLogTail {
    <# Prints the tail of an engine's log to the host, so a failure's output (CI's included) shows the engine's side. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Engine, [int] $Lines = 60)
    Write-Host "Engine log ($($Engine.LogPath)), last $Lines lines:" -ForegroundColor Yellow
    Get-CassetteLocalEngineLogTail -LogPath $Engine.LogPath -Lines $Lines | Out-Host
}

Export-ModuleMember -Function Get-PwshCommand, Start-CassetteLocalEngine, Stop-CassetteLocalEngine, Get-CassetteLocalEngineLogTail,
    Write-CassetteLocalEngineLogTail
