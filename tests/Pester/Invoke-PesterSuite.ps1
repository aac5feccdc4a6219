<#
.SYNOPSIS
Runs the Pester suites against the built module, several test files at once; build.ps1 Test calls it.
.DESCRIPTION
With -Parallel N (default 4) N worker pwsh processes (Invoke-SuiteWorker.ps1) run the files, one file at a time each,
longest first (by the seconds each file took last time, kept in -DurationsPath). Each file's output is printed whole
when it ends, with its CPU seconds and engine starts, then one summary (SummaryPath) and one JUnit file (ResultsPath)
cover them all. -Parallel 1 runs the files in this pwsh, one after another, as a single Invoke-Pester.
.EXAMPLE
./tests/Pester/Invoke-PesterSuite.ps1 -PesterPath $pester -ModulePath ./out/Cassette -EnginePath ./out/engine/Cassette.LocalEngine.dll `
    -SummaryPath ./out/one.json -ResultsPath ./out/one.xml -Path ./tests/Pester/Faults.Tests.ps1
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultsPath,
    # Test files or folders to run (default: every suite here).
    [string[]] $Path = @($PSScriptRoot),
    [int] $LogTailLines = 60,
    # Test files run at once, each in its own pwsh; 1 runs them all in this pwsh.
    [ValidateRange(1, 64)] [int] $Parallel = 4,
    # Where each file's seconds are kept for the next run's longest-first order.
    [string] $DurationsPath,
    # An engine-log folder owned by the caller: this run neither empties nor removes it.
    [string] $EngineLogPath
)
$ErrorActionPreference = 'Stop'
# Workers and the suites' child processes start in other folders: relative paths are resolved here, once.
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$EnginePath = (Resolve-Path -LiteralPath $EnginePath).ProviderPath

# The suites read these to import the module under test and start their own engines.
$env:CASSETTE_TEST_MODULE_PATH = $ModulePath
$env:CASSETTE_TEST_ENGINE_PATH = $EnginePath
# Every engine a suite starts logs here, named after its test file; the logs are printed for failed tests, kept
# when anything failed, and removed after a clean run.
$ownsEngineLogs = -not $EngineLogPath
$engineLogs = if ($EngineLogPath) { $EngineLogPath } else { Join-Path ([IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($ResultsPath))) 'engine-logs' }
if ($ownsEngineLogs -and (Test-Path $engineLogs)) { Remove-Item $engineLogs -Recurse -Force }
$env:CASSETTE_TEST_ENGINE_LOGS = $engineLogs
# "a.Tests.ps1,b.Tests.ps1" arrives as one string through pwsh -File.
$paths = @($Path | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })

if ($Parallel -gt 1) {
    Import-Module (Join-Path $PSScriptRoot 'ParallelSuite.psm1') -Force
    $files = @(Get-SuiteFile -Path $paths)
    if ($files.Count -eq 0) {
        # No file is a failed run, not an empty one.
        Write-Host "No test files under $($paths -join ', ')" -ForegroundColor Red
        [ordered]@{ Total = 0; Passed = 0; Skipped = 0; Failed = 1 } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
        exit 1
    }
    $files = @(Get-SuiteFileOrder -File $files -DurationsPath $DurationsPath)
    $work = Join-Path ([IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($ResultsPath))) 'pester-files'
    if (Test-Path $work) { Remove-Item $work -Recurse -Force }
    # The workers find the module and the engine through the CASSETTE_TEST_* variables set above, which they inherit.
    $worker = @{ PesterPath = $PesterPath; LogTailLines = $LogTailLines; EngineLogPath = $engineLogs }
    $run = Invoke-ParallelSuite -File $files -ThrottleLimit $Parallel -WorkFolder $work -SuiteParameters $worker -ResultsPath $ResultsPath
    if ($DurationsPath) {
        # Merged over the last run's, so a run of a few files keeps the others' seconds.
        $kept = [ordered]@{}
        if (Test-Path -LiteralPath $DurationsPath) { (Get-Content -LiteralPath $DurationsPath -Raw | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $kept[$_.Name] = $_.Value } }
        foreach ($entry in $run.Durations.GetEnumerator()) { $kept[$entry.Key] = $entry.Value }
        $kept | ConvertTo-Json | Set-Content -LiteralPath $DurationsPath
    }
    # Each file's wall and CPU seconds and engine starts, for tests/README.md's "Where the test run's time goes".
    $run.Cost | ConvertTo-Json | Set-Content -LiteralPath (Join-Path ([IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($SummaryPath))) 'pester-cost.json')
    $summary = $run.Totals
    $summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
    if ($summary.Failed -eq 0) { Remove-Item $engineLogs -Recurse -Force -ErrorAction SilentlyContinue; Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
    else { Write-Host "Engine logs kept in $engineLogs; each file's output and results in $work" }
    exit ([int]($summary.Failed -gt 0))
}

Import-Module $PesterPath -Force
. (Join-Path $PSScriptRoot 'SuiteFileRun.ps1')
$summary = Invoke-SuiteFileRun -Path $paths -ResultsPath $ResultsPath -EngineLogPath $engineLogs -LogTailLines $LogTailLines
$summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
if ($ownsEngineLogs) {
    if ($summary.Failed -eq 0) { Remove-Item $engineLogs -Recurse -Force -ErrorAction SilentlyContinue }
    else { Write-Host "Engine logs kept in $engineLogs" }
}
exit ([int]($summary.Failed -gt 0))
