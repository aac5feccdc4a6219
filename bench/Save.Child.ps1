<#
.SYNOPSIS
The module's side of the save benchmark, run in a fresh pwsh so its memory reading is the user's process.
Imports the module and saves the small warm-up file (JIT, connections), reads the peak working set from the OS,
saves the large file -Runs times, and reads it again. Prints one JSON object:
{"secondsPerRun": [...], "peakBefore": bytes, "peakAfter": bytes}.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $WarmUpUrl,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $Folder,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$target = Join-Path $Folder 'large.wav'
# Warm up the same code paths the measured runs take: a first save, then an overwrite with -Force.
$null = Save-CassetteAudio -InputObject $WarmUpUrl -Path $target -Force -ProgressAction SilentlyContinue
$null = Save-CassetteAudio -InputObject $WarmUpUrl -Path $target -Force -ProgressAction SilentlyContinue
$process = Get-Process -Id $PID
$process.Refresh()
$peakBefore = $process.PeakWorkingSet64

$seconds = for ($i = 0; $i -lt $Runs; $i++) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $null = Save-CassetteAudio -InputObject $Url -Path $target -Force -ProgressAction SilentlyContinue
    $watch.Elapsed.TotalSeconds
}
$process.Refresh()
@{ secondsPerRun = @($seconds); peakBefore = $peakBefore; peakAfter = $process.PeakWorkingSet64 } | ConvertTo-Json -Compress
