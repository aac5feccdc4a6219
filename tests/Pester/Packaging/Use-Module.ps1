<#
.SYNOPSIS
A fresh pwsh as a user's: imports Cassette (by name, or from a folder), and with OutputFolder generates a track
on the engine at CASSETTE_QUEUE_URL with FAL_KEY and saves it. Writes what it saw to ResultPath as JSON.
#>
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

Import-Module $Module
$loaded = Get-Module Cassette
$result = [ordered]@{
    ModuleBase   = $loaded.ModuleBase
    Version      = $loaded.Version.ToString()
    Commands     = @($loaded.ExportedCmdlets.Keys | Sort-Object)
    ReleaseNotes = $loaded.ReleaseNotes
}
if ($OutputFolder) {
    $env:CASSETTE_JOURNAL_PATH = Join-Path $OutputFolder 'journal.jsonl'
    # The deadline only stops a hang.
    $track = New-CassetteTrack -Prompt 'Upbeat synthwave, Key: A Minor, Tempo: 110 BPM' -Duration 10 -TimeoutSec 900
    $saved = $track | Save-CassetteAudio -Path $OutputFolder
    $result.TrackFileSize = $track.FileSize
    $result.SavedPath = $saved.Path
    $result.SavedLength = (Get-Item -LiteralPath $saved.Path).Length
    $result.Duration = $saved.Duration
    $result.SampleRate = $saved.SampleRate
    $result.Channels = $saved.Channels
}
$result | ConvertTo-Json | Set-Content -LiteralPath $ResultPath
