# Shared measuring helpers for the benchmarks: medians, child pwsh runs, and OS memory readings.

Set-StrictMode -Version 3

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { return $sorted[($n - 1) / 2] }
    ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

function Measure-Seconds([scriptblock] $Script) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Script | Out-Null
    $watch.Elapsed.TotalSeconds
}

function Invoke-ChildPwsh {
    <# Runs a script file in a new pwsh and returns its exit code; output goes to the caller's host. #>
    param([string[]] $Pwsh, [string[]] $ArgumentList)
    & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive @ArgumentList
    $LASTEXITCODE
}

function New-BenchResult {
    param(
        [string] $Benchmark,
        [string] $Measured,
        [string] $Baseline,
        [double] $Ratio,
        [string] $Goal,
        [bool] $Met,
        [string] $Note = ''
    )
    [pscustomobject]@{
        Benchmark = $Benchmark
        Measured  = $Measured
        Baseline  = $Baseline
        Ratio     = [math]::Round($Ratio, 3)
        Goal      = $Goal
        Met       = if ($Met) { 'yes' } else { 'NO' }
        Note      = $Note
    }
}

Export-ModuleMember -Function Get-Median, Measure-Seconds, Invoke-ChildPwsh, New-BenchResult
