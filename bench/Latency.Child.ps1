<#
.SYNOPSIS
The module's side of the latency benchmark, run in a fresh pwsh: the time from the engine marking a request
COMPLETED (metrics.completed_at) to New-CassetteTrack's track object reaching the next command in the pipeline.
Prints one JSON object: {"latenciesMs": [...]}.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $QueueUrl,
    [Parameter(Mandatory)] [string] $ApiKey,
    # Comma-separated: arrays do not survive a pwsh -File command line.
    [Parameter(Mandatory)] [string] $Durations,
    [Parameter(Mandatory)] [int] $Rounds
)
$ErrorActionPreference = 'Stop'
$sizes = [int[]]($Durations -split ',')
Import-Module $ModulePath
$env:CASSETTE_JOURNAL_PATH = Join-Path ([IO.Path]::GetTempPath()) "cassette-bench-journal-$PID.jsonl"
$headers = @{ Authorization = "Key $ApiKey" }

function Measure-Once([int] $duration, [int] $index) {
    $received = $null
    $track = New-CassetteTrack -Prompt "latency module $index" -Duration $duration -QueueUrl $QueueUrl -ApiKey $ApiKey -ProgressAction SilentlyContinue |
        ForEach-Object { $script:received = [DateTime]::UtcNow; $_ }
    # Read the raw text: ConvertFrom-Json would turn completed_at into a DateTime and drop its fraction of a second.
    $status = (Invoke-WebRequest -Uri "$($QueueUrl)CassetteAI/music-generator/requests/$($track.RequestId)/status" -Headers $headers).Content
    if ($status -notmatch '"completed_at"\s*:\s*"([^"]+)"') { throw "The engine reported no completed_at for $($track.RequestId)." }
    $completed = [DateTime]::Parse($Matches[1], [Globalization.CultureInfo]::InvariantCulture,
        [Globalization.DateTimeStyles]::AdjustToUniversal -bor [Globalization.DateTimeStyles]::AssumeUniversal)
    ($script:received - $completed).TotalMilliseconds
}

try {
    $null = Measure-Once $sizes[0] -1 # warm-up: JIT, connections
    $latencies = for ($round = 0; $round -lt $Rounds; $round++) {
        foreach ($duration in $sizes) { Measure-Once $duration $round }
    }
    @{ latenciesMs = @($latencies) } | ConvertTo-Json -Compress
}
finally {
    Remove-Item -LiteralPath $env:CASSETTE_JOURNAL_PATH -ErrorAction SilentlyContinue
}
