<#
.SYNOPSIS
Parallel generation: 64 tracks with New-CassetteTrack -AsJob against an engine with 16 workers and 1 s of server
time per request, measured in a fresh pwsh as a user would run it. The ideal is 64 / 16 x 1 s = 4 s.
Goals: wall time at most 1.10 x the ideal, and the pwsh process grows by at most 60 MB (its peak working set from
the OS minus its working set just before the batch). Median of several runs, each in a new pwsh.

.DESCRIPTION
-ThrottleLimit 64, every prompt at once: on fal the account's concurrency limit is the real throttle, as the 16
workers are here, and a queued request starts the moment a worker frees up, without waiting for the client to notice
a completion, fetch its result, journal it and submit the next. It is also the heavier case for the module (64 jobs
and 64 status streams in flight), which is what the memory goal is about. -ThrottleLimit 16 measured the same within
this machine's noise: it submits fewer requests at the start but adds a client round trip to each of the four rounds.

Besides the wall time, each run reports from the engine's clock when every worker had a request (the first round's
submissions reaching the engine) and when the engine completed the last request; the difference between the wall
time and the ideal is mostly the former, as the rounds themselves take the engine's 1 s plus a few ms.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [int] $Tracks = 64,
    [int] $Workers = 16,
    [double] $ServerSeconds = 1,
    [int] $ThrottleLimit = 64,
    [int] $Runs = 5
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force

# The measured part, run in a fresh pwsh: one warm-up track (JIT, first connection), then the batch. Progress is
# silenced so that the host's rendering of 64 bars is not what is measured.
$child = @'
param([string] $ModulePath, [int] $Tracks, [int] $ThrottleLimit, [int] $Workers)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$null = New-CassetteTrack 'warm-up' 10 -AsJob | Receive-Job -Wait -AutoRemoveJob
[GC]::Collect()
$self = [Diagnostics.Process]::GetCurrentProcess()
# Linux keeps the peak since start-up; "5" resets it, so the peak read below is the batch's own.
if (Test-Path /proc/self/clear_refs) { try { Set-Content -LiteralPath /proc/self/clear_refs -Value 5 } catch { } }
$self.Refresh()
$baseline = $self.WorkingSet64
$prompts = 1..$Tracks | ForEach-Object { "Benchmark track ${_}: warm analog pads, Key: C Major, Tempo: 80 BPM" }
$started = [DateTimeOffset]::UtcNow
$watch = [Diagnostics.Stopwatch]::StartNew()
$job = $prompts | New-CassetteTrack -Duration 10 -AsJob -ThrottleLimit $ThrottleLimit
$received = @(Receive-Job $job -Wait -AutoRemoveJob -ErrorVariable failures -ErrorAction SilentlyContinue)
$seconds = $watch.Elapsed.TotalSeconds
$self.Refresh()
$peak = $self.PeakWorkingSet64
# Where the time went, from the engine's own clock (after the measurement): when it started each request
# (completed_at - inference_time) and when it completed the last one.
$headers = @{ Authorization = "Key $env:FAL_KEY" }
$engine = foreach ($track in $received) {
    $status = Invoke-RestMethod -Uri "$($env:CASSETTE_QUEUE_URL)CassetteAI/music-generator/requests/$($track.RequestId)/status" -Headers $headers
    $completed = $status.metrics.completed_at
    $completed = if ($completed -is [datetime]) { [DateTimeOffset]$completed.ToUniversalTime() } else { [DateTimeOffset]::Parse($completed, [Globalization.CultureInfo]::InvariantCulture) }
    [pscustomobject]@{ Start = ($completed - $started).TotalSeconds - $status.metrics.inference_time; End = ($completed - $started).TotalSeconds }
}
$starts = @($engine.Start | Sort-Object)
[pscustomobject]@{
    Seconds  = $seconds
    Tracks   = $received.Count
    Unique   = @($received.RequestId | Select-Object -Unique).Count
    Errors   = $failures.Count
    Failures = @($failures | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" })
    Baseline = $baseline
    Peak     = $peak
    # The moment every worker had a request: how long the first round took to reach the engine.
    AllWorkersBusy = if ($starts.Count -ge $Workers) { $starts[$Workers - 1] } else { $null }
    EngineDone     = ($engine.End | Measure-Object -Maximum).Maximum
} | ConvertTo-Json -Compress
'@

$script = Join-Path ([IO.Path]::GetTempPath()) "cassette-parallel-bench-$([guid]::NewGuid().ToString('N')).ps1"
$journal = Join-Path ([IO.Path]::GetTempPath()) "cassette-parallel-bench-$([guid]::NewGuid().ToString('N')).jsonl"
Set-Content -LiteralPath $script -Value $child
$engine = Start-CassetteLocalEngine -EnginePath $EnginePath -ArgumentList @('--Workers', $Workers, '--ProcessingSeconds', $ServerSeconds)
$env:CASSETTE_QUEUE_URL = $engine.Url
$env:FAL_KEY = $engine.ApiKey
$env:CASSETTE_JOURNAL_PATH = $journal
$results = [Collections.Generic.List[object]]::new()
try {
    for ($run = 1; $run -le $Runs; $run++) {
        $output = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script -ModulePath $ModulePath -Tracks $Tracks -ThrottleLimit $ThrottleLimit -Workers $Workers
        if ($LASTEXITCODE -ne 0) { throw "The benchmark's pwsh failed with exit code $LASTEXITCODE`: $output" }
        $result = $output | Select-Object -Last 1 | ConvertFrom-Json
        Write-Host ('  run {0}: {1:N2} s, {2} tracks, {3} errors, +{4:N1} MB; every worker busy at {5:N2} s, engine done at {6:N2} s' -f `
            $run, $result.Seconds, $result.Tracks, $result.Errors, (($result.Peak - $result.Baseline) / 1MB), $result.AllWorkersBusy, $result.EngineDone)
        $result.Failures | ForEach-Object { Write-Host "    $_" }
        $results.Add($result)
    }
}
catch {
    # The engine's side of the failure, for the run's output.
    Write-CassetteLocalEngineLogTail $engine
    throw
}
finally {
    Stop-CassetteLocalEngine $engine
    Remove-Item Env:CASSETTE_QUEUE_URL, Env:FAL_KEY, Env:CASSETTE_JOURNAL_PATH -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $script, $journal -ErrorAction SilentlyContinue
}

$ideal = [math]::Ceiling($Tracks / $Workers) * $ServerSeconds
$seconds = Get-Median ($results | ForEach-Object Seconds)
$growths = @($results | ForEach-Object { ($_.Peak - $_.Baseline) / 1MB })
$growthMB = Get-Median $growths
# The memory goal is held against the worst run, not the median.
$worstGrowthMB = ($growths | Measure-Object -Maximum).Maximum
$busy = Get-Median ($results | ForEach-Object AllWorkersBusy)
$allTracks = -not ($results | Where-Object { $_.Tracks -ne $Tracks -or $_.Unique -ne $Tracks -or $_.Errors -ne 0 })
$ratio = $seconds / $ideal
New-BenchResult -Benchmark 'parallel generation' `
    -Measured ('{0} tracks in {1:N2} s; pwsh +{2:N1} MB (worst run +{3:N1} MB)' -f $Tracks, $seconds, $growthMB, $worstGrowthMB) `
    -Baseline ('{0:N0} s ideal ({1} / {2} workers x {3} s)' -f $ideal, $Tracks, $Workers, $ServerSeconds) `
    -Ratio $ratio -Goal '<= 1.10 x ideal, <= 60 MB growth, every track' `
    -Met ($allTracks -and $ratio -le 1.10 -and $worstGrowthMB -le 60) `
    -Note ("-AsJob -ThrottleLimit $ThrottleLimit; median of $Runs runs ({0}), each in a new pwsh after one warm-up track; every worker busy after {1:N2} s (median); peak working set from the OS" -f
        (($results | ForEach-Object { '{0:N2} s' -f $_.Seconds }) -join ', '), $busy)
