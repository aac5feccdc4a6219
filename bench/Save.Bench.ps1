<#
.SYNOPSIS
Save-CassetteAudio of a 180 s WAV over loopback against `curl -o` of the same url, in the same run.
Goals: at least 0.8 x curl's throughput (medians), and at most 8 MB of extra peak memory: how much the peak
working set (from the OS) of a warmed-up pwsh grows over all the measured saves.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [int] $Runs = 7
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force

$curl = Get-Command curl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $curl) {
    return New-BenchResult -Benchmark 'save 180 s WAV' -Measured 'not run' -Baseline 'needs curl' -Ratio 0 -Goal '>= 0.8 x curl; <= 8 MB' -Met $false
}
$folder = Join-Path ([IO.Path]::GetTempPath()) "cassette-bench-save-$([guid]::NewGuid().ToString('N'))"
New-Item -ItemType Directory -Path $folder | Out-Null
$engine = Start-CassetteLocalEngine -EnginePath $EnginePath
try {
    Import-Module $ModulePath
    $env:CASSETTE_JOURNAL_PATH = Join-Path $folder 'journal.jsonl'
    $large = New-CassetteTrack -Prompt 'save benchmark, cinematic' -Duration 180 -QueueUrl $engine.Url -ApiKey $engine.ApiKey -ProgressAction SilentlyContinue
    $small = New-CassetteTrack -Prompt 'save benchmark warm-up' -Duration 10 -QueueUrl $engine.Url -ApiKey $engine.ApiKey -ProgressAction SilentlyContinue
    $url = $large.AudioUrl.AbsoluteUri

    & $curl.Source -s -o (Join-Path $folder 'curl.wav') $url # warm-up
    # curl's own time_total (the transfer, without its process start), so the baseline is not handicapped.
    $curlSeconds = for ($i = 0; $i -lt $Runs; $i++) {
        [double]::Parse((& $curl.Source -s -o (Join-Path $folder 'curl.wav') -w '%{time_total}' $url), [Globalization.CultureInfo]::InvariantCulture)
    }
    $childArgs = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Save.Child.ps1'),
        '-ModulePath', $ModulePath, '-WarmUpUrl', $small.AudioUrl.AbsoluteUri, '-Url', $url, '-Folder', $folder, '-Runs', $Runs)
    $measured = & $Pwsh[0] @childArgs | Select-Object -Last 1 | ConvertFrom-Json
}
catch {
    # The engine's side of the failure, for the run's output.
    Write-CassetteLocalEngineLogTail $engine
    throw
}
finally {
    Stop-CassetteLocalEngine $engine
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}

$bytes = $large.FileSize
$curlRate = $bytes / (Get-Median $curlSeconds) / 1MB
$saveRate = $bytes / (Get-Median $measured.secondsPerRun) / 1MB
$extraMB = ($measured.peakAfter - $measured.peakBefore) / 1MB
New-BenchResult -Benchmark 'save 180 s WAV' `
    -Measured ('Save-CassetteAudio {0:N0} MB/s; peak +{1:N1} MB' -f $saveRate, $extraMB) `
    -Baseline ('curl -o {0:N0} MB/s (its time_total)' -f $curlRate) `
    -Ratio ($saveRate / $curlRate) -Goal '>= 0.8 x curl; <= 8 MB extra' `
    -Met (($saveRate / $curlRate) -ge 0.8 -and $extraMB -le 8) `
    -Note ("{0:N1} MB file over loopback, medians of {1} runs; memory = growth of the peak working set over all runs" -f ($bytes / 1MB), $Runs)
