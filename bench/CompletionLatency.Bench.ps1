<#
.SYNOPSIS
Completion latency: from the engine marking a request COMPLETED to the result reaching the caller, for
New-CassetteTrack and for fal's official JavaScript client (@fal-ai/client, streaming mode and default polling mode),
on the same engine and the same request sizes, in the same run, alternated round by round.
Goal (issue 16): the module's median at most the JS client's streaming-mode median.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [int[]] $Durations = @(10, 20, 30, 40, 50),
    [int] $Rounds = 5
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force

$clientFolder = Join-Path $PSScriptRoot 'official-client'
if (-not (Test-Path (Join-Path $clientFolder 'node_modules/@fal-ai/client'))) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        return New-BenchResult -Benchmark 'completion latency' -Measured 'not run' -Baseline 'needs node and npm' -Ratio 0 -Goal '<= JS streaming median' -Met $false
    }
    & npm ci --prefix $clientFolder --no-audit --no-fund --silent | Out-Null
}

# Server time of 0.65, 0.75 ... 1.05 s for the five sizes: completions fall evenly across the JS client's 500 ms
# polling cycle instead of all at one phase of it, so its median overhead is a fair one.
$engine = Start-CassetteLocalEngine -EnginePath $EnginePath -ArgumentList @('--Workers', '4', '--ProcessingSeconds', '0.55', '--ProcessingSecondsPerAudioSecond', '0.01', '--BenchmarkAudio', 'true')
$module = [Collections.Generic.List[double]]::new()
$polling = [Collections.Generic.List[double]]::new()
$streaming = [Collections.Generic.List[double]]::new()
try {
    $durationList = $Durations -join ','
    # Alternated, one round of every size at a time, so that the shared machine's drift hits every client alike. Each
    # round is a new process that warms up (JIT, connections) on one request first.
    for ($round = 0; $round -lt $Rounds; $round++) {
        $result = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Latency.Child.ps1') `
            -ModulePath $ModulePath -QueueUrl $engine.Url -ApiKey $engine.ApiKey -Durations $durationList -Rounds 1 |
            Select-Object -Last 1 | ConvertFrom-Json
        $module.AddRange([double[]]$result.latenciesMs)
        $result = & node (Join-Path $clientFolder 'latency.mjs') $engine.Url $engine.ApiKey streaming $durationList 1 | ConvertFrom-Json
        $streaming.AddRange([double[]]$result.latenciesMs)
        $result = & node (Join-Path $clientFolder 'latency.mjs') $engine.Url $engine.ApiKey polling $durationList 1 | ConvertFrom-Json
        $polling.AddRange([double[]]$result.latenciesMs)
    }
}
catch {
    # The engine's side of the failure, for the run's output.
    Write-CassetteLocalEngineLogTail $engine
    throw
}
finally {
    Stop-CassetteLocalEngine $engine
}

$moduleMedian = Get-Median $module
$pollingMedian = Get-Median $polling
$streamingMedian = Get-Median $streaming
$p90 = (@($module) | Sort-Object)[[int][math]::Floor(0.9 * ($module.Count - 1))]
New-BenchResult -Benchmark 'completion latency' `
    -Measured ('New-CassetteTrack median {0:N1} ms (p90 {1:N1})' -f $moduleMedian, $p90) `
    -Baseline ('@fal-ai/client 1.10.1 subscribe: streaming {0:N1} ms, polling (default) {1:N1} ms' -f $streamingMedian, $pollingMedian) `
    -Ratio ($moduleMedian / $streamingMedian) -Goal '<= JS streaming median' `
    -Met ($moduleMedian -le $streamingMedian) `
    -Note ("medians of {0} requests each ({1} s, {2} alternated rounds), same engine (--BenchmarkAudio); vs polling: {3:N3}x" -f $module.Count, $durationList, $Rounds, ($moduleMedian / $pollingMedian))
