<#
.SYNOPSIS
Engine under load: 1000 submissions from 64 concurrent clients, every 10th cancelled, every request
followed to its end. Passes when none is lost or duplicated; reports the engine's peak memory (from the OS)
against its idle footprint measured in the same run.
#>
param(
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string] $LoadProject,
    [int] $Requests = 1000,
    [int] $Clients = 64,
    [int] $Workers = 16,
    # Server time per request, so cancellations meet queued and running requests, not only finished ones.
    [double] $ServerSeconds = 0.2
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force

$engine = Start-CassetteLocalEngine -EnginePath $EnginePath -ArgumentList @('--Workers', $Workers, '--ProcessingSeconds', $ServerSeconds)
try {
    Start-Sleep -Seconds 1
    $idle = (Get-Process -Id $engine.Process.Id).WorkingSet64
    $output = & dotnet run --project $LoadProject -c Release --no-build -- --url $engine.Url --key $engine.ApiKey `
        --requests $Requests --clients $Clients --cancel-every 10
    $exit = $LASTEXITCODE
    $engineProcess = Get-Process -Id $engine.Process.Id
    $peak = $engineProcess.PeakWorkingSet64
    $report = $output | Select-Object -Last 1 | ConvertFrom-Json
}
finally {
    Stop-CassetteLocalEngine $engine
}

New-BenchResult -Benchmark 'engine load' `
    -Measured ('{0} ended ({1} completed, {2} cancelled), {3} lost, {4} duplicated, {5} failed in {6} s; peak {7:N0} MB' -f `
        ($report.completed + $report.cancelled), $report.completed, $report.cancelled, $report.lost, $report.duplicates, $report.failed, $report.seconds, ($peak / 1MB)) `
    -Baseline ('{0:N0} MB idle engine' -f ($idle / 1MB)) `
    -Ratio ($peak / $idle) -Goal "$Requests from $Clients clients, none lost or duplicated, memory bounded" `
    -Met ($exit -eq 0) -Note "$Workers workers, $ServerSeconds s server time each; peak working set from the OS"
