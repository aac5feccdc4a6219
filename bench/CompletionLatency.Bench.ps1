<#
.SYNOPSIS
Completion latency: from the engine marking a request COMPLETED to the result reaching the caller, for
New-CassetteTrack and for fal's official JavaScript client (@fal-ai/client, default polling mode and streaming
mode), on the same engine and the same request sizes, in the same run.
Goals: the module's median <= 15 ms, and at most 1/10 of the JS client's default-mode overhead.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [int[]] $Durations = @(10, 20, 30, 40, 50),
    [int] $Rounds = 3
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force

$clientFolder = Join-Path $PSScriptRoot 'official-client'
if (-not (Test-Path (Join-Path $clientFolder 'node_modules/@fal-ai/client'))) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        return New-BenchResult -Benchmark 'completion latency' -Measured 'not run' -Baseline 'needs node and npm' -Ratio 0 -Goal '<= 15 ms; <= 1/10 of JS' -Met $false
    }
    & npm ci --prefix $clientFolder --no-audit --no-fund --silent | Out-Null
}

# Server time of 0.65, 0.75 ... 1.05 s for the five sizes: completions fall evenly across the JS client's 500 ms
# polling cycle instead of all at one phase of it, so its median overhead is a fair one.
$engine = Start-CassetteLocalEngine -EnginePath $EnginePath -ArgumentList @('--Workers', '4', '--ProcessingSeconds', '0.55', '--ProcessingSecondsPerAudioSecond', '0.01')
try {
    $durationList = $Durations -join ','
    $module = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Latency.Child.ps1') `
        -ModulePath $ModulePath -QueueUrl $engine.Url -ApiKey $engine.ApiKey -Durations $durationList -Rounds $Rounds |
        Select-Object -Last 1 | ConvertFrom-Json
    $polling = & node (Join-Path $clientFolder 'latency.mjs') $engine.Url $engine.ApiKey polling $durationList $Rounds | ConvertFrom-Json
    $streaming = & node (Join-Path $clientFolder 'latency.mjs') $engine.Url $engine.ApiKey streaming $durationList $Rounds | ConvertFrom-Json
}
catch {
    # The engine's side of the failure, for the run's output.
    Write-CassetteLocalEngineLogTail $engine
    throw
}
finally {
    Stop-CassetteLocalEngine $engine
}

$moduleMedian = Get-Median $module.latenciesMs
$pollingMedian = Get-Median $polling.latenciesMs
$streamingMedian = Get-Median $streaming.latenciesMs
New-BenchResult -Benchmark 'completion latency' `
    -Measured ('New-CassetteTrack median {0:N1} ms (p90 {1:N1})' -f $moduleMedian, ((@($module.latenciesMs) | Sort-Object)[[int][math]::Floor(0.9 * ($module.latenciesMs.Count - 1))])) `
    -Baseline ('@fal-ai/client 1.10.1 subscribe: polling (default) {0:N1} ms, streaming {1:N1} ms' -f $pollingMedian, $streamingMedian) `
    -Ratio ($moduleMedian / $pollingMedian) -Goal '<= 15 ms and <= 0.1 x JS default' `
    -Met ($moduleMedian -le 15 -and $moduleMedian -le 0.1 * $pollingMedian) `
    -Note ("medians of {0} requests each ({1} s), same engine; vs streaming: {2:N2}x" -f $module.latenciesMs.Count, $durationList, ($moduleMedian / $streamingMedian))
