<#
.SYNOPSIS
Generates every prompt of a CSV once, within a budget, and saves the tracks: a runbook that is safe to run again.

.DESCRIPTION
Runs unattended (Azure Automation, a scheduled task, CI). If the platform unloads it, a worker crashes or someone
starts it twice, the next run picks up where the last one stopped: the batch name ties the runs together, so items
that completed are reused from the journal (nothing is paid twice), items still generating are waited for, and
failed or cancelled ones are submitted again. Files already saved are left alone. -MaxCost caps what one run may
spend; the first prompt that would pass it is refused before it is submitted, and the run fails after saving the
tracks that fitted. The key comes from FAL_KEY (FAL_KEY_ID + FAL_KEY_SECRET), never from the script.
#>
param(
    # Columns Prompt and Duration (seconds, 10 to 180).
    [Parameter(Mandatory)] [string] $CsvPath,
    [Parameter(Mandatory)] [string] $OutputFolder,
    # One batch per day: a re-run on the same day resumes it, the next day starts a new one.
    [string] $BatchName = 'runbook-' + [DateTime]::UtcNow.ToString('yyyy-MM-dd'),
    # US dollars this run may spend ($0.02 per minute of music); reused items cost nothing.
    [decimal] $MaxCost = 1.00,
    [int] $ThrottleLimit = 4
)
$ErrorActionPreference = 'Stop'
Import-Module Cassette

$null = New-Item -ItemType Directory -Path $OutputFolder -Force
Import-Csv -LiteralPath $CsvPath |
    New-CassetteTrack -BatchName $BatchName -MaxCost $MaxCost -ThrottleLimit $ThrottleLimit |
    Save-CassetteAudio -Path $OutputFolder -SkipExisting
