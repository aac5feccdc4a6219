<#
.SYNOPSIS
One worker of a parallel Pester run (ParallelSuite.psm1): runs test files one after another in this pwsh, each as it
is handed over on standard input, one full path a line, until standard input closes.
.DESCRIPTION
A worker serves many files so that pwsh starts and Pester loads once per worker, not once per file: about 4.5 s of CPU
each on a 2-core machine, for 32 files (tests/README.md, "Where the test run's time goes"). Files follow each other as
they do in a -Parallel 1 run. After each file it writes the file's summary (with its CPU seconds and engine starts)
and JUnit results into WorkFolder, then a line "<DoneMarker> <name>" on standard output, which tells the runner that
everything printed since the previous marker is that file's output.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $WorkFolder,
    [Parameter(Mandatory)] [string] $EngineLogPath,
    [Parameter(Mandatory)] [string] $DoneMarker,
    [int] $LogTailLines = 60
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
. (Join-Path $PSScriptRoot 'SuiteFileRun.ps1')

function Save-WorkerState {
    [pscustomobject]@{ Environment = [Environment]::GetEnvironmentVariables(); Location = (Get-Location).Path }
}

function Restore-WorkerState($State) {
    # Whatever a file left in the environment (a key, a queue address, a journal path) or its location must not reach
    # the next file, as it would not in a pwsh of its own.
    $now = [Environment]::GetEnvironmentVariables()
    foreach ($name in $now.Keys) { if (-not $State.Environment.Contains($name)) { [Environment]::SetEnvironmentVariable($name, $null) } }
    foreach ($name in $State.Environment.Keys) {
        if ($now[$name] -cne $State.Environment[$name]) { [Environment]::SetEnvironmentVariable($name, $State.Environment[$name]) }
    }
    Set-Location -LiteralPath $State.Location
}

while ($null -ne ($file = [Console]::In.ReadLine())) {
    if (-not $file.Trim()) { continue }
    $name = [IO.Path]::GetFileNameWithoutExtension($file)
    $prefix = Join-Path $WorkFolder $name
    $state = Save-WorkerState
    try {
        $summary = Invoke-SuiteFileRun -Path $file -ResultsPath "$prefix.xml" -EngineLogPath $EngineLogPath -LogTailLines $LogTailLines
    }
    catch {
        # A file that breaks the run itself is that file's failure; the worker goes on with the next one.
        Write-Host "The run of $file failed: $_" -ForegroundColor Red
        $summary = [ordered]@{ Total = 0; Passed = 0; Skipped = 0; Failed = 1 }
    }
    $summary | ConvertTo-Json | Set-Content -LiteralPath "$prefix.summary.json"
    Restore-WorkerState $state
    Write-Host "$DoneMarker $name"
}
