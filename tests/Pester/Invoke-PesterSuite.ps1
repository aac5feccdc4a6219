<#
.SYNOPSIS
Runs the Pester suites in a fresh pwsh against the built module; build.ps1 Test calls it.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultsPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The suites read these to import the module under test and start their own engines.
$env:CASSETTE_TEST_MODULE_PATH = $ModulePath
$env:CASSETTE_TEST_ENGINE_PATH = $EnginePath

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'JUnitXml'
$configuration.TestResult.OutputPath = $ResultsPath
$result = Invoke-Pester -Configuration $configuration

$summary = [ordered]@{
    Total  = $result.TotalCount
    Passed = $result.PassedCount
    Skipped = $result.SkippedCount
    Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
}
$summary | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
exit ([int]($summary.Failed -gt 0))
