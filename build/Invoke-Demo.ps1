<#
.SYNOPSIS
The demo's user side: imports the built module in a fresh pwsh, generates a track on the engine and saves it.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $QueueUrl,
    [Parameter(Mandatory)] [string] $ApiKey,
    [Parameter(Mandatory)] [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
# The demo's requests live on a throwaway engine: keep them out of the user's own journal.
$env:CASSETTE_JOURNAL_PATH = Join-Path $OutputFolder 'journal.jsonl'

$prompt = 'Smooth chill hip-hop beat with mellow piano melodies, deep bass, and soft drums, perfect for a night drive. Key: D Minor, Tempo: 90 BPM.'
$track = New-CassetteTrack -Prompt $prompt -Duration 30 -QueueUrl $QueueUrl -ApiKey $ApiKey
$track | Format-List | Out-Host
$saved = $track | Save-CassetteAudio -Path $OutputFolder -Force -PassThru
$saved | Format-List | Out-Host
"Saved: $($saved.Path)"
