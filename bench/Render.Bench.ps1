<#
.SYNOPSIS
The synthesizer alone (bench/Render): the slowest prompt's median render time of a 30 s and a 180 s track,
against CassetteAI's published times (under 2 s and under 10 s on a GPU) and the goals (0.2 s and 1.0 s),
with the process's peak working set from the OS (goal < 200 MB).
#>
param(
    [Parameter(Mandatory)] [string] $Project,
    [int] $Runs = 7
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force

$output = & dotnet run --project $Project -c Release --no-build -- --runs $Runs
if ($LASTEXITCODE -ne 0) { throw "The render benchmark failed with exit code $LASTEXITCODE." }
$output | Out-Host
$text = $output -join "`n"
$peakMB = if ($text -match 'peak working set: (\d+) MB') { [double]$Matches[1] } else { [double]::NaN }
foreach ($length in @(@{ Seconds = 30; Goal = 0.2; CassetteAi = 2.0 }, @{ Seconds = 180; Goal = 1.0; CassetteAi = 10.0 })) {
    if ($text -notmatch "(?m)^\s*$($length.Seconds) s track: slowest median ([\d.]+) s") { throw "No $($length.Seconds) s summary in the render benchmark's output." }
    $median = [double]::Parse($Matches[1], [Globalization.CultureInfo]::InvariantCulture)
    New-BenchResult -Benchmark "render $($length.Seconds) s" `
        -Measured ('{0:N3} s (slowest prompt''s median); peak {1:N0} MB' -f $median, $peakMB) `
        -Baseline ('CassetteAI published < {0:N0} s' -f $length.CassetteAi) `
        -Ratio ($median / $length.CassetteAi) -Goal ('<= {0:N1} s; < 200 MB' -f $length.Goal) `
        -Met ($median -le $length.Goal -and $peakMB -lt 200) `
        -Note "5 prompts x $Runs warm runs; ratio = render time / CassetteAI's"
}
