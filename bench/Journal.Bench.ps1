<#
.SYNOPSIS
A year of journal: 300,000 requests (each a submission line and an outcome line, spread over 365 days) against a fresh
journal, with the same commands in the same pwsh, alternated.
Goals: Get-CassetteJob -First 20 <= 200 ms; Get-CassetteJob -RequestId <id> <= 20 ms over the fresh journal;
New-CassetteTrack -NoWait unchanged within noise; no command grows the process's peak working set by more than 50 MB.

.DESCRIPTION
The request looked up is one just submitted with -NoWait (the engine knows it), so it sits at the end of the
journal, as a request being followed does. The note adds a lookup of the journal's oldest request (unknown to the
engine, which answers 404 on both journals), which reads the whole file back.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [int] $Entries = 300000,
    [int] $Rounds = 9
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../build/LocalEngine.psm1') -Force
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path

$folder = Join-Path ([IO.Path]::GetTempPath()) "cassette-journal-bench-$([guid]::NewGuid().ToString('N'))"
$null = New-Item -ItemType Directory -Path $folder
$fresh = Join-Path $folder 'fresh.jsonl'
$year = Join-Path $folder 'year.jsonl'
# Cheap audio: the submissions complete without the synthesizer competing with the commands measured.
$engine = Start-CassetteLocalEngine -EnginePath $EnginePath -ArgumentList @('--Workers', '2', '--BenchmarkAudio', 'true')
try {
    # The lines the module writes, with the engine's urls, one request every 105 s for a year; one in 20 failed.
    $queue = $engine.Url
    $start = [DateTimeOffset]::UtcNow.AddDays(-365)
    $writer = [IO.StreamWriter]::new($year, $false, [Text.UTF8Encoding]::new($false))
    $oldest = $null
    try {
        for ($i = 0; $i -lt $Entries; $i++) {
            $id = '{0:x8}-0000-4000-8000-{1:x12}' -f $i, ([long]$i * 7919)
            if ($null -eq $oldest) { $oldest = $id }
            $at = $start.AddSeconds($i * 105).ToString('o')
            $done = $start.AddSeconds($i * 105 + 40).ToString('o')
            $base = "${queue}CassetteAI/music-generator/requests/$id"
            $writer.WriteLine("{`"v`":1,`"event`":`"submitted`",`"request_id`":`"$id`",`"model`":`"CassetteAI/music-generator`",`"prompt`":`"Request $i`: warm analog pads, Key: C Major, Tempo: 80 BPM`",`"duration`":30,`"estimated_cost`":0.01,`"queue_url`":`"$queue`",`"status_url`":`"$base/status`",`"response_url`":`"$base`",`"cancel_url`":`"$base/cancel`",`"at`":`"$at`"}")
            if ($i % 20 -eq 7) {
                $writer.WriteLine("{`"v`":1,`"event`":`"status`",`"request_id`":`"$id`",`"status`":`"Failed`",`"error`":`"The model failed`",`"error_type`":`"internal_error`",`"at`":`"$done`"}")
            }
            else {
                $writer.WriteLine("{`"v`":1,`"event`":`"status`",`"request_id`":`"$id`",`"status`":`"Completed`",`"audio_url`":`"${queue}files/$id.wav`",`"at`":`"$done`"}")
            }
        }
    }
    finally {
        $writer.Dispose()
    }
    $sizeMB = (Get-Item -LiteralPath $year).Length / 1MB

    $env:CASSETTE_QUEUE_URL = $engine.Url
    $env:FAL_KEY = $engine.ApiKey
    $output = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Journal.Child.ps1') `
        -ModulePath $ModulePath -FreshJournal $fresh -YearJournal $year -OldestRequestId $oldest -Rounds $Rounds
    if ($LASTEXITCODE -ne 0) { throw "The journal benchmark's pwsh failed with exit code $LASTEXITCODE`: $output" }
    $measured = $output | Select-Object -Last 1 | ConvertFrom-Json
}
finally {
    Stop-CassetteLocalEngine $engine
    Remove-Item Env:CASSETTE_QUEUE_URL, Env:FAL_KEY -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}

$f = $measured.fresh
$y = $measured.year
function Quartiles([double[]] $values) {
    $sorted = @($values | Sort-Object)
    [pscustomobject]@{ Low = $sorted[[int][math]::Floor(0.25 * ($sorted.Count - 1))]; High = $sorted[[int][math]::Ceiling(0.75 * ($sorted.Count - 1))] }
}
$first20 = Get-Median $y.first20
$lookupOver = (Get-Median $y.requestId) - (Get-Median $f.requestId)
$noWaitFresh = Get-Median $f.noWait
$noWaitYear = Get-Median $y.noWait
# "Within noise": the difference of the medians, either way, is no larger than the wider of the two series'
# interquartile ranges (the spread this machine gives the same command in the same run).
$noise = [math]::Max((Quartiles $f.noWait).High - (Quartiles $f.noWait).Low, (Quartiles $y.noWait).High - (Quartiles $y.noWait).Low)
$worstGrowth = ($y.growthMB | Measure-Object -Maximum).Maximum
$oldestOver = (Get-Median $y.oldest) - (Get-Median $f.oldest)
$setup = "{0:N0} requests, {1:N0} MB; medians of $Rounds alternated rounds in one pwsh" -f $Entries, $sizeMB

New-BenchResult -Benchmark 'journal: Get-CassetteJob -First 20' `
    -Measured ('{0:N1} ms on a year of journal' -f $first20) `
    -Baseline ('{0:N1} ms on a fresh journal' -f (Get-Median $f.first20)) `
    -Ratio ($first20 / (Get-Median $f.first20)) -Goal '<= 200 ms' -Met ($first20 -le 200) -Note $setup
New-BenchResult -Benchmark 'journal: Get-CassetteJob -RequestId' `
    -Measured ('{0:N1} ms on a year of journal ({1:+0.0;-0.0} ms)' -f (Get-Median $y.requestId), $lookupOver) `
    -Baseline ('{0:N1} ms on a fresh journal' -f (Get-Median $f.requestId)) `
    -Ratio ((Get-Median $y.requestId) / (Get-Median $f.requestId)) -Goal '<= 20 ms over a fresh journal' -Met ($lookupOver -le 20) `
    -Note ('a request just submitted (engine answering); the journal''s oldest request (whole file read back, engine answering 404): {0:+0.0;-0.0} ms over' -f $oldestOver)
New-BenchResult -Benchmark 'journal: New-CassetteTrack -NoWait' `
    -Measured ('{0:N1} ms on a year of journal' -f $noWaitYear) `
    -Baseline ('{0:N1} ms on a fresh journal' -f $noWaitFresh) `
    -Ratio ($noWaitYear / $noWaitFresh) -Goal 'unchanged within noise' -Met ([math]::Abs($noWaitYear - $noWaitFresh) -le $noise) `
    -Note ('noise: the wider interquartile range of the two series, {0:N1} ms' -f $noise)
New-BenchResult -Benchmark 'journal: memory per command' `
    -Measured ('peak +{0:N1} MB (worst of every command on the year)' -f $worstGrowth) `
    -Baseline ('peak +{0:N1} MB on a fresh journal' -f (($f.growthMB | Measure-Object -Maximum).Maximum)) `
    -Ratio ($worstGrowth / [math]::Max(1, ($f.growthMB | Measure-Object -Maximum).Maximum)) -Goal '<= 50 MB' -Met ($worstGrowth -le 50) `
    -Note 'growth of the peak working set (OS) over the working set before each command, after a GC'
