<#
.SYNOPSIS
Parallel generation, measuring the module at fal's concurrency: an engine with --BenchmarkAudio (audio at negligible
CPU cost, so only the fixed server time remains) and 1 s of server time per request, in a fresh pwsh per run as a
user would run it. Three scenarios, each against its ideal (tracks / workers x 1 s):
- 64 tracks, 16 workers, -AsJob -ThrottleLimit 64: ideal 4 s; goal <= 1.05 x, pwsh growing <= 60 MB;
- 400 tracks, 40 workers, -AsJob -ThrottleLimit 40: ideal 10 s; goal <= 1.05 x, pwsh growing <= 80 MB;
- the same 400 in the foreground (no -AsJob): ideal 10 s; goal <= 1.05 x.
Growth is the process's peak working set from the OS minus its working set just before the batch, worst run. Median
of several runs, each in a new pwsh after one warm-up track.

.DESCRIPTION
On fal the account's concurrency limit is the real throttle, as the workers are here. With -ThrottleLimit at least the
worker count, a queued request starts the moment a worker frees up, without waiting for the client to notice a
completion, fetch its result, journal it and submit the next.

Besides the wall time, each run reports from the engine's clock when every worker had a request (the first round's
submissions reaching the engine) and when the engine completed the last request; the difference between the wall
time and the ideal is mostly the former, as the rounds themselves take the engine's 1 s plus a few ms.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [double] $ServerSeconds = 1,
    [int] $Runs = 5,
    # Which scenarios to run: 64, 400job, 400foreground.
    [string[]] $Scenario = @('64', '400job', '400foreground')
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force

# The measured part, run in a fresh pwsh: one warm-up track (JIT, first connection), then the batch. Progress is
# silenced so that the host's rendering of 64 bars is not what is measured.
$child = @'
param([string] $ModulePath, [int] $Tracks, [int] $ThrottleLimit, [int] $Workers, [string] $AsJob)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$null = New-CassetteTrack 'warm-up' 10 -AsJob | Receive-Job -Wait -AutoRemoveJob
[GC]::Collect()
$self = [Diagnostics.Process]::GetCurrentProcess()
# Linux keeps the peak since start-up; "5" resets it, so the peak read below is the batch's own.
# (Opened without truncation: Set-Content's truncating open is refused with EINVAL, which left the start-up peak in.)
if (Test-Path /proc/self/clear_refs) { $file = [IO.FileStream]::new('/proc/self/clear_refs', 'Open', 'Write'); $file.Write([byte[]](0x35), 0, 1); $file.Dispose() }
$self.Refresh()
$baseline = $self.WorkingSet64
$prompts = 1..$Tracks | ForEach-Object { "Benchmark track ${_}: warm analog pads, Key: C Major, Tempo: 80 BPM" }
$started = [DateTimeOffset]::UtcNow
$watch = [Diagnostics.Stopwatch]::StartNew()
if ($AsJob -eq 'true') {
    $job = $prompts | New-CassetteTrack -Duration 10 -AsJob -ThrottleLimit $ThrottleLimit
    $received = @(Receive-Job $job -Wait -AutoRemoveJob -ErrorVariable failures -ErrorAction SilentlyContinue)
}
else {
    $received = @($prompts | New-CassetteTrack -Duration 10 -ThrottleLimit $ThrottleLimit -ErrorVariable failures -ErrorAction SilentlyContinue)
}
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

$scenarios = @(
    [pscustomobject]@{ Id = '64'; Tracks = 64; Workers = 16; ThrottleLimit = 64; AsJob = $true; GrowthGoalMB = 60 }
    [pscustomobject]@{ Id = '400job'; Tracks = 400; Workers = 40; ThrottleLimit = 40; AsJob = $true; GrowthGoalMB = 80 }
    [pscustomobject]@{ Id = '400foreground'; Tracks = 400; Workers = 40; ThrottleLimit = 40; AsJob = $false; GrowthGoalMB = $null }
) | Where-Object Id -in $Scenario

$script = Join-Path ([IO.Path]::GetTempPath()) "cassette-parallel-bench-$([guid]::NewGuid().ToString('N')).ps1"
Set-Content -LiteralPath $script -Value $child
try {
    foreach ($case in $scenarios) {
        $journal = Join-Path ([IO.Path]::GetTempPath()) "cassette-parallel-bench-$([guid]::NewGuid().ToString('N')).jsonl"
        $engine = Start-CassetteLocalEngine -EnginePath $EnginePath -ArgumentList @('--Workers', $case.Workers, '--ProcessingSeconds', $ServerSeconds, '--BenchmarkAudio', 'true')
        $env:CASSETTE_QUEUE_URL = $engine.Url
        $env:FAL_KEY = $engine.ApiKey
        $env:CASSETTE_JOURNAL_PATH = $journal
        $results = [Collections.Generic.List[object]]::new()
        $mode = if ($case.AsJob) { "-AsJob -ThrottleLimit $($case.ThrottleLimit)" } else { "foreground, -ThrottleLimit $($case.ThrottleLimit)" }
        Write-Host "  $($case.Tracks) tracks, $($case.Workers) workers, $mode"
        try {
            for ($run = 1; $run -le $Runs; $run++) {
                $output = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script -ModulePath $ModulePath -Tracks $case.Tracks `
                    -ThrottleLimit $case.ThrottleLimit -Workers $case.Workers -AsJob ($case.AsJob.ToString().ToLowerInvariant())
                if ($LASTEXITCODE -ne 0) { throw "The benchmark's pwsh failed with exit code $LASTEXITCODE`: $output" }
                $result = $output | Select-Object -Last 1 | ConvertFrom-Json
                Write-Host ('    run {0}: {1:N2} s, {2} tracks, {3} errors, +{4:N1} MB; every worker busy at {5:N2} s, engine done at {6:N2} s' -f `
                    $run, $result.Seconds, $result.Tracks, $result.Errors, (($result.Peak - $result.Baseline) / 1MB), $result.AllWorkersBusy, $result.EngineDone)
                $result.Failures | Select-Object -First 5 | ForEach-Object { Write-Host "      $_" }
                $results.Add($result)
            }
        }
        finally {
            Stop-CassetteLocalEngine $engine
            Remove-Item Env:CASSETTE_QUEUE_URL, Env:FAL_KEY, Env:CASSETTE_JOURNAL_PATH -ErrorAction SilentlyContinue
            Remove-Item -LiteralPath $journal -ErrorAction SilentlyContinue
        }

        $ideal = [math]::Ceiling($case.Tracks / $case.Workers) * $ServerSeconds
        $seconds = Get-Median ($results | ForEach-Object Seconds)
        $growths = @($results | ForEach-Object { ($_.Peak - $_.Baseline) / 1MB })
        $growthMB = Get-Median $growths
        # The memory goal is held against the worst run, not the median.
        $worstGrowthMB = ($growths | Measure-Object -Maximum).Maximum
        $busy = Get-Median ($results | ForEach-Object AllWorkersBusy)
        $done = Get-Median ($results | ForEach-Object EngineDone)
        $allTracks = -not ($results | Where-Object { $_.Tracks -ne $case.Tracks -or $_.Unique -ne $case.Tracks -or $_.Errors -ne 0 })
        $ratio = $seconds / $ideal
        $memoryMet = $null -eq $case.GrowthGoalMB -or $worstGrowthMB -le $case.GrowthGoalMB
        $goal = '<= 1.05 x ideal, every track' + $(if ($null -ne $case.GrowthGoalMB) { ", pwsh growth <= $($case.GrowthGoalMB) MB" })
        New-BenchResult -Benchmark "parallel: $($case.Tracks) tracks, $($case.Workers) workers, $(if ($case.AsJob) { '-AsJob' } else { 'foreground' })" `
            -Measured ('{0:N2} s; pwsh +{1:N1} MB (worst run +{2:N1} MB)' -f $seconds, $growthMB, $worstGrowthMB) `
            -Baseline ('{0:N0} s ideal ({1} / {2} workers x {3} s)' -f $ideal, $case.Tracks, $case.Workers, $ServerSeconds) `
            -Ratio $ratio -Goal $goal -Met ($allTracks -and $ratio -le 1.05 -and $memoryMet) `
            -Note ("$mode, engine --BenchmarkAudio; median of $Runs runs ({0}), each in a new pwsh after one warm-up track; every worker busy after {1:N2} s, engine done at {2:N2} s (medians)" -f
                (($results | ForEach-Object { '{0:N2} s' -f $_.Seconds }) -join ', '), $busy, $done)
    }
}
catch {
    # The engine's side of the failure, for the run's output.
    Write-CassetteLocalEngineLogTail $engine
    throw
}
finally {
    Remove-Item -LiteralPath $script -ErrorAction SilentlyContinue
}
