# Starts and stops the Cassette local engine as a separate process, the way a user would run it.
# Used by build.ps1 (Demo, Bench) and by the Pester suites.

Set-StrictMode -Version 3

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
    Starts the local engine on a free loopback port and returns its address, key and process.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $EnginePath,
        [string] $ApiKey = ('local-' + [guid]::NewGuid().ToString('N')),
        [string[]] $ArgumentList = @(),
        [int] $StartTimeoutSec = 60
    )
    $logPath = Join-Path ([IO.Path]::GetTempPath()) ("cassette-engine-{0}.log" -f [guid]::NewGuid().ToString('N'))
    $errPath = "$logPath.err"
    $arguments = @($EnginePath, '--urls', 'http://127.0.0.1:0', '--ApiKey', $ApiKey) + $ArgumentList
    $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    $process = Start-Process -FilePath $dotnet -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $logPath -RedirectStandardError $errPath
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    $url = $null
    while (-not $url) {
        if ($process.HasExited) {
            $errors = if (Test-Path $errPath) { Get-Content $errPath -Raw } else { '' }
            throw "The local engine exited with code $($process.ExitCode) before it listened. $errors"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            throw "The local engine did not report its address within $StartTimeoutSec s."
        }
        Start-Sleep -Milliseconds 50
        $line = Get-Content -LiteralPath $logPath -ErrorAction SilentlyContinue |
            Where-Object { $_ -match 'listening on (http://\S+)' } | Select-Object -First 1
        if ($line -and $line -match 'listening on (http://\S+)') { $url = $Matches[1] }
    }
    [pscustomobject]@{
        PSTypeName = 'Cassette.LocalEngineProcess'
        Url        = $url.TrimEnd('/') + '/'
        ApiKey     = $ApiKey
        Process    = $process
        LogPath    = $logPath
    }
}

function Stop-CassetteLocalEngine {
    <#
    .SYNOPSIS
    Asks the engine to shut down gracefully (SIGTERM), so it removes its temporary files; kills it if it hangs.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Engine, [int] $TimeoutSec = 15)
    process {
        $process = $Engine.Process
        if (-not $process.HasExited) {
            if ($IsWindows) {
                $process.Kill()
            } else {
                & kill -TERM $process.Id 2>$null
            }
            if (-not $process.WaitForExit($TimeoutSec * 1000)) { $process.Kill() }
        }
        Remove-Item -LiteralPath $Engine.LogPath, "$($Engine.LogPath).err" -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Get-PwshCommand, Start-CassetteLocalEngine, Stop-CassetteLocalEngine
