<#
.SYNOPSIS
Runs the Pester suites against the built module, each test file in a pwsh of its own, several at once; build.ps1 Test
calls it.
.DESCRIPTION
With -Parallel N (default 4) every test file runs in its own pwsh through this same script, at most N at a time,
longest first (by the seconds each file took last time, kept in -DurationsPath). Each file's output is printed whole
when it ends, then one summary (SummaryPath) and one JUnit file (ResultsPath) cover them all. -Parallel 1 runs the
files in this pwsh, one after another, as a single Invoke-Pester.
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
    # The engine-log folder a parallel run shares with its workers: a worker neither empties nor removes it.
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
    $worker = @{ PesterPath = $PesterPath; ModulePath = $ModulePath; EnginePath = $EnginePath; LogTailLines = $LogTailLines; EngineLogPath = $engineLogs }
    $run = Invoke-ParallelSuite -File $files -ThrottleLimit $Parallel -WorkFolder $work -SuiteParameters $worker -ResultsPath $ResultsPath
    if ($DurationsPath) {
        # Merged over the last run's, so a run of a few files keeps the others' seconds.
        $kept = [ordered]@{}
        if (Test-Path -LiteralPath $DurationsPath) { (Get-Content -LiteralPath $DurationsPath -Raw | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $kept[$_.Name] = $_.Value } }
        foreach ($entry in $run.Durations.GetEnumerator()) { $kept[$entry.Key] = $entry.Value }
        $kept | ConvertTo-Json | Set-Content -LiteralPath $DurationsPath
    }
    $summary = $run.Totals
    $summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
    if ($summary.Failed -eq 0) { Remove-Item $engineLogs -Recurse -Force -ErrorAction SilentlyContinue; Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
    else { Write-Host "Engine logs kept in $engineLogs; each file's output and results in $work" }
    exit ([int]($summary.Failed -gt 0))
}

Import-Module $PesterPath -Force
$configuration = New-PesterConfiguration
$configuration.Run.Path = $paths
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'JUnitXml'
$configuration.TestResult.OutputPath = $ResultsPath
$result = Invoke-Pester -Configuration $configuration

# The engines' side of each failure: the tail of every log of the failed tests' files (CI shows this output).
$failedFiles = if (-not $result) { @() } else { @(
    @($result.Failed | ForEach-Object { $_.ScriptBlock.File }) +
    @($result.FailedBlocks | ForEach-Object { $_.ScriptBlock.File }) +
    @($result.FailedContainers | ForEach-Object { $_.Item.FullName })
) | Where-Object { $_ } | Sort-Object -Unique }
foreach ($file in $failedFiles) {
    $name = [IO.Path]::GetFileNameWithoutExtension($file)
    $logs = @(Get-ChildItem -LiteralPath $engineLogs -Filter "$name-*.log" -ErrorAction SilentlyContinue)
    foreach ($log in $logs) {
        Write-Host ''
        Write-Host "Engine log of $name (a test there failed), last $LogTailLines lines of $($log.FullName):" -ForegroundColor Yellow
        Get-Content -LiteralPath $log.FullName -Tail $LogTailLines | Out-Host
    }
}

$summary = if ($result) {
    [ordered]@{
        Total  = $result.TotalCount
        Passed = $result.PassedCount
        Skipped = $result.SkippedCount
        Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    }
}
else {
    # Pester itself failed (a path that does not exist, say): that is a failed run, not an empty one.
    [ordered]@{ Total = 0; Passed = 0; Skipped = 0; Failed = 1 }
}
$summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
if ($ownsEngineLogs) {
    if ($summary.Failed -eq 0) { Remove-Item $engineLogs -Recurse -Force -ErrorAction SilentlyContinue }
    else { Write-Host "Engine logs kept in $engineLogs" }
}
exit ([int]($summary.Failed -gt 0))
