<#
.SYNOPSIS
Runs the Pester suites in a fresh pwsh against the built module; build.ps1 Test calls it.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultsPath,
    # Test files to run (default: every suite here).
    [string[]] $Path = @($PSScriptRoot),
    [int] $LogTailLines = 60
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The suites read these to import the module under test and start their own engines.
$env:CASSETTE_TEST_MODULE_PATH = $ModulePath
$env:CASSETTE_TEST_ENGINE_PATH = $EnginePath
# Every engine a suite starts logs here, named after its test file; the logs are printed for failed tests, kept
# when anything failed, and removed after a clean run.
$engineLogs = Join-Path ([IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($ResultsPath))) 'engine-logs'
if (Test-Path $engineLogs) { Remove-Item $engineLogs -Recurse -Force }
$env:CASSETTE_TEST_ENGINE_LOGS = $engineLogs

$configuration = New-PesterConfiguration
# "a.Tests.ps1,b.Tests.ps1" arrives as one string through pwsh -File.
$configuration.Run.Path = @($Path | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
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
if ($summary.Failed -eq 0) { Remove-Item $engineLogs -Recurse -Force -ErrorAction SilentlyContinue }
else { Write-Host "Engine logs kept in $engineLogs" }
exit ([int]($summary.Failed -gt 0))
