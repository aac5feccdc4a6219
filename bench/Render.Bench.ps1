<#
.SYNOPSIS
The synthesizer alone (bench/Render): the slowest prompt's median render time of a 30 s and a 180 s track against
sox making the same length of reverberated pink noise in the same run (`sox -n -r 44100 -c 2 -b 16 x.wav synth N
pinknoise reverb 50`, timed between the renders), with the process's peak working set from the OS. Goals (issue
16): at most 1.0x sox for both lengths, and a peak of at most 150 MB.
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
$invariant = [Globalization.CultureInfo]::InvariantCulture
$peakMB = if ($text -match 'peak working set: (\d+) MB') { [double]$Matches[1] } else { [double]::NaN }
foreach ($seconds in 30, 180) {
    if ($text -notmatch "(?m)^\s*$seconds s track: slowest median ([\d.]+) s; sox baseline ([\d.]+|NaN) s") { throw "No $seconds s summary in the render benchmark's output." }
    $median = [double]::Parse($Matches[1], $invariant)
    $sox = [double]::Parse($Matches[2], $invariant)
    $ratio = $median / $sox
    New-BenchResult -Benchmark "render $seconds s" `
        -Measured ('{0:N3} s (slowest prompt''s median); peak {1:N0} MB' -f $median, $peakMB) `
        -Baseline ('sox synth {0} pinknoise reverb 50: {1:N3} s' -f $seconds, $sox) `
        -Ratio $ratio -Goal '<= 1.0 x sox; <= 150 MB' `
        -Met ($ratio -le 1.0 -and $peakMB -le 150) `
        -Note "5 prompts x $Runs warm runs, sox timed between them; ratio = render / sox"
}
