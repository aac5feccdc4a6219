<#
.SYNOPSIS
Runs a batch of fuzz cases against the hostile server, many at a time in one pwsh, and writes one JSON result per case.

.DESCRIPTION
Case n of master seed S has the seed S * 1000003 + n: the server derives its answers from that seed, and this script
derives the command (and its options) from it, so one case replays alone with -MasterSeed S -First n -Count 1.
Each case runs in a runspace of a pool with the module loaded, in a folder of its own, under a hang guard. What is
recorded per case: the command, how long it ran and how long it was allowed, every FullyQualifiedErrorId, whether the
key showed up in any text the user could see, and what was left in its folder (names and SHA-256 of the files).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $QueueUrl,
    [Parameter(Mandatory)] [string] $ApiKey,
    [Parameter(Mandatory)] [long] $MasterSeed,
    [Parameter(Mandatory)] [int] $First,
    [Parameter(Mandatory)] [int] $Count,
    [Parameter(Mandatory)] [string] $WorkFolder,
    [Parameter(Mandatory)] [string] $ResultPath,
    [int] $Parallel = 12
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
Import-Module $ModulePath

# What a case does, chosen from its seed. Every wait has -TimeoutSec 4 and every read -ReadTimeoutSec 1, so the bound a
# case must respect is known: its deadlines, the remote cancel's own 10 s deadline, and generous slack for a busy machine.
$operations = @(
    @{ Name = 'new-save'; Weight = 30; BoundSec = 4 + 4 + 10 + 30 }
    @{ Name = 'new-nowait'; Weight = 8; BoundSec = 10 + 30 }
    @{ Name = 'get'; Weight = 10; BoundSec = 10 + 30 }
    @{ Name = 'get-wait'; Weight = 14; BoundSec = 4 + 10 + 30 }
    @{ Name = 'stop'; Weight = 8; BoundSec = 10 + 30 }
    @{ Name = 'save-url'; Weight = 12; BoundSec = 4 + 30 }
    @{ Name = 'save-request'; Weight = 12; BoundSec = 4 + 4 + 10 + 30 }
    @{ Name = 'new-asjob'; Weight = 6; BoundSec = 4 + 10 + 30 }
)
$totalWeight = ($operations | Measure-Object -Property Weight -Sum).Sum

$caseScript = {
    param($Operation, $Url, $Key, $Folder, $Journal, $Retries, $Force)
    $common = @{ QueueUrl = $Url; ApiKey = $Key; JournalPath = $Journal; MaxRetryCount = $Retries; ReadTimeoutSec = 1; ErrorAction = 'SilentlyContinue'; ErrorVariable = '+caseErrors'; WarningVariable = '+caseWarnings'; WarningAction = 'SilentlyContinue' }
    $saveCommon = @{ ApiKey = $Key; JournalPath = $Journal; MaxRetryCount = $Retries; ReadTimeoutSec = 1; TimeoutSec = 4; ErrorAction = 'SilentlyContinue'; ErrorVariable = '+caseErrors'; WarningVariable = '+caseWarnings'; WarningAction = 'SilentlyContinue'; Force = $Force }
    $caseErrors = [System.Collections.ArrayList]::new()
    $caseWarnings = [System.Collections.ArrayList]::new()
    $output = @()
    $requestId = 'req-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $destination = [IO.Path]::Combine($Folder, 'out.wav')
    try {
        switch ($Operation) {
            'new-save' { $output = @(New-CassetteTrack 'fuzz' 10 -TimeoutSec 4 @common | Save-CassetteAudio -LiteralPath $destination @saveCommon) }
            'new-nowait' { $output = @(New-CassetteTrack 'fuzz' 10 -NoWait @common) }
            'get' { $output = @(Get-CassetteJob -RequestId $requestId -IncludeLogs @common) }
            'get-wait' { $output = @(Get-CassetteJob -RequestId $requestId -Wait -TimeoutSec 4 @common) }
            'stop' { $output = @(Stop-CassetteJob -RequestId $requestId -PassThru @common) }
            'save-url' { $output = @(($Url + 'files/' + $requestId + '.wav') | Save-CassetteAudio -Path $Folder @saveCommon) }
            'save-request' { $output = @(Get-CassetteJob -RequestId $requestId @common | Save-CassetteAudio -Path $Folder @saveCommon) }
            'new-asjob' {
                $job = New-CassetteTrack 'fuzz' 10 -TimeoutSec 4 -AsJob @common
                if ($job) {
                    $output = @(Receive-Job $job -Wait -ErrorAction SilentlyContinue -ErrorVariable +caseErrors -WarningAction SilentlyContinue -WarningVariable +caseWarnings)
                    Remove-Job $job -Force
                }
            }
        }
    }
    catch { $null = $caseErrors.Add($_) }
    # Every text a user could see: messages down the inner exceptions, details, targets, warnings and each output
    # property (formatting through Out-String would show the same values, at many times the cost per case).
    $text = [System.Text.StringBuilder]::new()
    foreach ($record in $caseErrors) {
        $null = $text.AppendLine([string]$record).AppendLine([string]$record.ErrorDetails).AppendLine([string]$record.ErrorDetails.RecommendedAction)
        if ($null -ne $record.TargetObject) { foreach ($property in $record.TargetObject.PSObject.Properties) { $null = $text.AppendLine([string]$property.Value) } }
        $inner = $record.Exception
        while ($inner) { $null = $text.AppendLine($inner.Message); $inner = $inner.InnerException }
    }
    foreach ($warning in $caseWarnings) { $null = $text.AppendLine([string]$warning) }
    foreach ($item in $output) { foreach ($property in $item.PSObject.Properties) { $null = $text.AppendLine([string]$property.Value) } }
    [pscustomobject]@{
        Ids     = @($caseErrors | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.FullyQualifiedErrorId } else { 'NotAnErrorRecord:' + $_.GetType().FullName } })
        Unexpected = @($caseErrors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'UnexpectedError*' } | ForEach-Object { $_.Exception.ToString() } | Select-Object -First 1)
        KeySeen = $text.ToString().Contains($Key)
        Outputs = $output.Count
    }
}

$state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
$state.ImportPSModule($ModulePath)
$pool = [runspacefactory]::CreateRunspacePool(1, $Parallel, $state, $Host)
$pool.Open()
$journal = Join-Path $WorkFolder "journal-$First.jsonl"
$running = [System.Collections.Generic.List[object]]::new()
$results = [System.Collections.Generic.List[object]]::new()

function Complete-Case($case) {
    # IsCompleted, not the wait handle: PowerShell marks the result completed just before it sets the handle, so a
    # case collected in between would read as hung. EndInvoke waits for the handle.
    $finished = $case.Async.IsCompleted
    $clockMs = $case.Clock.ElapsedMilliseconds
    $outcome = $null
    if ($finished) {
        try { $outcome = $case.PowerShell.EndInvoke($case.Async) | Select-Object -Last 1 }
        catch { $outcome = [pscustomobject]@{ Ids = @('HarnessError:' + $_.Exception.Message); Unexpected = @(); KeySeen = $false; Outputs = 0 } }
    }
    else {
        # The hang guard fired: stop the case the way Ctrl+C would, and report it.
        $case.PowerShell.Stop()
        $outcome = [pscustomobject]@{ Ids = @('Hang'); Unexpected = @(); KeySeen = $false; Outputs = 0 }
    }
    $case.PowerShell.Dispose()
    # .NET calls, not Get-ChildItem/New-Item/Remove-Item: the provider cmdlets cost about 25 ms a case here, more than
    # the case's own command, and they are the harness, not what is under test. GetFiles skips nothing (hidden files too).
    $left = @(foreach ($file in [IO.Directory]::GetFiles($case.Folder, '*', [IO.SearchOption]::AllDirectories)) {
            [pscustomobject]@{ Name = [IO.Path]::GetFileName($file); Hash = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($file))) }
        })
    try { [IO.Directory]::Delete($case.Folder, $true) } catch [IO.IOException], [UnauthorizedAccessException] { }
    $results.Add([pscustomobject]@{
            Seed = $case.Seed; Operation = $case.Operation; Retries = $case.Retries; ElapsedMs = $clockMs; BoundMs = $case.BoundSec * 1000
            Ids = @($outcome.Ids); Unexpected = @($outcome.Unexpected); KeySeen = [bool]$outcome.KeySeen; Outputs = $outcome.Outputs; Left = $left
        })
}

function Wait-FinishedCase {
    # Collects whatever finished, or overran its hang guard: four times its idle bound, generous enough for a loaded
    # machine, short of a wait that never ends. With nothing to collect, it waits for the next case to end (at most
    # 200 ms, so that a guard is still checked while nothing ends).
    $done = [System.Collections.Generic.List[object]]::new()
    foreach ($case in $running) { if ($case.Async.IsCompleted -or $case.Clock.Elapsed.TotalSeconds -gt 4 * $case.BoundSec) { $done.Add($case) } }
    if ($done.Count -eq 0) {
        $handles = [System.Threading.WaitHandle[]]@(foreach ($case in $running) { $case.Async.AsyncWaitHandle })
        $null = [System.Threading.WaitHandle]::WaitAny($handles, 200)
        return
    }
    foreach ($case in $done) { Complete-Case $case; $null = $running.Remove($case) }
}

for ($n = $First; $n -lt $First + $Count; $n++) {
    $seed = $MasterSeed * 1000003 + $n
    $random = [System.Random]::new([int]($seed % [int]::MaxValue))
    $draw = $random.Next($totalWeight)
    $operation = $operations[-1]
    foreach ($candidate in $operations) {
        if ($draw -lt $candidate.Weight) { $operation = $candidate; break }
        $draw -= $candidate.Weight
    }
    $retries = if ($random.Next(5) -eq 0) { 1 } else { 0 }
    $force = $random.Next(2) -eq 0
    $folder = [IO.Path]::Combine($WorkFolder, "case-$seed")
    $null = [IO.Directory]::CreateDirectory($folder)
    $ps = [powershell]::Create()
    $ps.RunspacePool = $pool
    $null = $ps.AddScript($caseScript).AddArgument($operation.Name).AddArgument($QueueUrl + "f/$seed/").AddArgument($ApiKey).AddArgument($folder).
        AddArgument($journal).AddArgument($retries).AddArgument([switch]$force)
    $running.Add([pscustomobject]@{ Seed = $seed; Operation = $operation.Name; Retries = $retries; BoundSec = $operation.BoundSec; Folder = $folder
            PowerShell = $ps; Async = $ps.BeginInvoke(); Clock = [Diagnostics.Stopwatch]::StartNew() })
    # Keep the pool full.
    while ($running.Count -ge $Parallel) { Wait-FinishedCase }
}
while ($running.Count -gt 0) { Wait-FinishedCase }
$pool.Close()

# The journal every case of this batch wrote to must still read: a hostile reply never breaks it.
$listed = $null
try { $listed = @(Get-CassetteJob -JournalPath $journal -WarningAction SilentlyContinue).Count; $journalError = $null }
catch { $journalError = $_.FullyQualifiedErrorId + ': ' + $_.Exception.Message }

[pscustomobject]@{ Cases = $results; JournalListed = $listed; JournalError = $journalError } | ConvertTo-Json -Depth 5 -Compress | Set-Content -LiteralPath $ResultPath
