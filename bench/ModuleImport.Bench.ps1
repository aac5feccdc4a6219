<#
.SYNOPSIS
Module import cost: a new pwsh that imports Cassette against a bare `pwsh -c exit`, alternated and repeated.
Goal: at most 150 ms over the bare start (median of both).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [int] $Runs = 15
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force

$bare = [Collections.Generic.List[double]]::new()
$import = [Collections.Generic.List[double]]::new()
$pwshArgs = @($Pwsh | Select-Object -Skip 1)
# One warm-up of each so the first run does not pay for a cold disk cache.
& $Pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command 'exit' | Out-Null
& $Pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; exit" | Out-Null
for ($i = 0; $i -lt $Runs; $i++) {
    # Alternate so that drift on the shared machine hits both series alike.
    $bare.Add((Measure-Seconds { & $Pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command 'exit' }))
    $import.Add((Measure-Seconds { & $Pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; exit" }))
}
$bareMedian = Get-Median $bare
$importMedian = Get-Median $import
$overMs = ($importMedian - $bareMedian) * 1000
New-BenchResult -Benchmark 'module import' `
    -Measured ('{0:N0} ms with Import-Module ({1:N0} ms over)' -f ($importMedian * 1000), $overMs) `
    -Baseline ('{0:N0} ms bare pwsh -c exit' -f ($bareMedian * 1000)) `
    -Ratio ($importMedian / $bareMedian) -Goal '<= 150 ms over' -Met ($overMs -le 150) `
    -Note "median of $Runs alternated runs"
