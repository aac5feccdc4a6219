<#
.SYNOPSIS
Runs every benchmark against the built module and a local engine, and prints one table of results,
each next to a baseline measured in the same run.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [string[]] $Only = @(),
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
# "render,parallel" arrives as one string through pwsh -File.
$Only = @($Only | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force
$pwsh = @(Get-PwshCommand)

$benchmarks = [ordered]@{
    'import' = { & (Join-Path $PSScriptRoot 'ModuleImport.Bench.ps1') -ModulePath $ModulePath -Pwsh $pwsh }
    'latency' = { & (Join-Path $PSScriptRoot 'CompletionLatency.Bench.ps1') -ModulePath $ModulePath -EnginePath $EnginePath -Pwsh $pwsh }
    'render' = { & (Join-Path $PSScriptRoot 'Render.Bench.ps1') -Project (Join-Path $PSScriptRoot 'Render') }
    'save'   = { & (Join-Path $PSScriptRoot 'Save.Bench.ps1') -ModulePath $ModulePath -EnginePath $EnginePath -Pwsh $pwsh }
    'load'   = { & (Join-Path $PSScriptRoot 'EngineLoad.Bench.ps1') -EnginePath $EnginePath -LoadProject (Join-Path $PSScriptRoot 'Load') }
    'journal' = { & (Join-Path $PSScriptRoot 'Journal.Bench.ps1') -ModulePath $ModulePath -EnginePath $EnginePath -Pwsh $pwsh }
    'parallel' = { & (Join-Path $PSScriptRoot 'Parallel.Bench.ps1') -ModulePath $ModulePath -EnginePath $EnginePath -Pwsh $pwsh }
    # Last and longest (about 5 minutes on an idle 2-core machine): the whole test command, issue 16 goal 6.
    'tests' = { & (Join-Path $PSScriptRoot 'TestCommand.Bench.ps1') -Pwsh $pwsh -Root (Join-Path $PSScriptRoot '..') }
}

$results = foreach ($name in $benchmarks.Keys) {
    if ($Only.Count -and $name -notin $Only) { continue }
    Write-Host "Running benchmark: $name" -ForegroundColor Cyan
    & $benchmarks[$name]
}

$machine = '{0} cores, {1}' -f [Environment]::ProcessorCount, [Runtime.InteropServices.RuntimeInformation]::OSDescription
Write-Host ''
Write-Host "Benchmarks on $machine, $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC" -ForegroundColor Green
$lines = @('| benchmark | measured | baseline (same run) | ratio | goal | met | note |', '|---|---|---|---|---|---|---|')
$lines += $results | ForEach-Object { "| $($_.Benchmark) | $($_.Measured) | $($_.Baseline) | $($_.Ratio) | $($_.Goal) | $($_.Met) | $($_.Note) |" }
$lines | Out-Host
if ($ResultPath) {
    $lines | Set-Content -LiteralPath $ResultPath
    Write-Host "Table written to $ResultPath"
}
