<#
.SYNOPSIS
Engine under load: 1000 submissions from 64 concurrent clients, every 10th cancelled, every request
followed to its end and its result fetched once. Passes when none is lost, duplicated or failed, every result
belongs to its request, the server's own account of every id agrees with the client's, the engine answered
exactly as many result calls as the client made (counted by a no-op fault rule), and the engine's peak memory
(from the OS) stays under -MaxPeakMB; reports that peak against the idle footprint measured in the same run.
#>
param(
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string] $LoadProject,
    [int] $Requests = 1000,
    [int] $Clients = 64,
    [int] $Workers = 16,
    # Server time per request, so cancellations meet queued and running requests, not only finished ones.
    [double] $ServerSeconds = 0.2,
    # The bound on the engine's peak working set: generous for a .NET web server, far below what holding 1000 WAVs would take.
    [int] $MaxPeakMB = 512
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force

$engine = Start-CassetteLocalEngine -EnginePath $EnginePath -ArgumentList @('--Workers', $Workers, '--ProcessingSeconds', $ServerSeconds, '--EnableFaultInjection', 'true')
try {
    $headers = @{ Authorization = "Key $($engine.ApiKey)" }
    # A 1 ms delay on every result call changes nothing but counts the calls the engine answered.
    $counter = Invoke-RestMethod -Method Post -Uri "$($engine.Url)_engine/faults" -Headers $headers -ContentType 'application/json' `
        -Body '{"target":"result","kind":"delay","delayMs":1,"count":0}'
    Start-Sleep -Seconds 1
    $idle = (Get-Process -Id $engine.Process.Id).WorkingSet64
    $output = & dotnet run --project $LoadProject -c Release --no-build -- --url $engine.Url --key $engine.ApiKey `
        --requests $Requests --clients $Clients --cancel-every 10
    $exit = $LASTEXITCODE
    $peak = (Get-Process -Id $engine.Process.Id).PeakWorkingSet64
    $served = (Invoke-RestMethod -Uri "$($engine.Url)_engine/faults/$($counter.id)" -Headers $headers).fired
    $report = $output | Select-Object -Last 1 | ConvertFrom-Json
    if ($exit -ne 0) { Write-CassetteLocalEngineLogTail $engine }
}
catch {
    # The engine's side of the failure, for the run's output.
    Write-CassetteLocalEngineLogTail $engine
    throw
}
finally {
    Stop-CassetteLocalEngine $engine
}
if ($report.firstFailures) { $report.firstFailures | ForEach-Object { Write-Warning $_ } }
$fetchedOnce = $served -eq $report.resultFetches -and $served -eq $Requests
$bounded = $peak -le $MaxPeakMB * 1MB

New-BenchResult -Benchmark 'engine load' `
    -Measured ('{0} ended ({1} completed, {2} cancelled; {12} cancels arrived after completion), {3} lost, {4} duplicated, {5} failed, {6} wrong results, {7} disputed by the server; {8} results served for {9} fetched; {10} s; peak {11:N0} MB' -f `
        ($report.completed + $report.cancelled), $report.completed, $report.cancelled, $report.lost, $report.duplicates, $report.failed,
        $report.wrongResults, $report.serverDisagrees, $served, $report.resultFetches, $report.seconds, ($peak / 1MB), $report.cancelsTooLate) `
    -Baseline ('{0:N0} MB idle engine' -f ($idle / 1MB)) `
    -Ratio ($peak / $idle) -Goal "$Requests from $Clients clients, none lost or duplicated, each result fetched once, peak under $MaxPeakMB MB" `
    -Met ($exit -eq 0 -and $fetchedOnce -and $bounded) -Note "$Workers workers, $ServerSeconds s server time each; peak working set from the OS"
