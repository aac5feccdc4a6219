<#
.SYNOPSIS
The journal benchmark's measured part, run in a fresh pwsh: the same commands against a fresh journal and a year of
journal, alternated round by round, each timed and its peak working set read from the OS. Prints one JSON object.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FreshJournal,
    [Parameter(Mandatory)] [string] $YearJournal,
    # A request id the year's journal has at its very start (the engine does not know it): the longest lookup.
    [Parameter(Mandatory)] [string] $OldestRequestId,
    [Parameter(Mandatory)] [int] $Rounds
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$self = [Diagnostics.Process]::GetCurrentProcess()
$canResetPeak = Test-Path /proc/self/clear_refs

function Measure-CassetteCommand([scriptblock] $Command) {
    [GC]::Collect()
    # Linux keeps the peak since start-up; "5" resets it, so the peak read after the command is the command's own.
    # (Opened without truncation: Set-Content's truncating open is refused with EINVAL.)
    if ($canResetPeak) { $file = [IO.FileStream]::new('/proc/self/clear_refs', 'Open', 'Write'); $file.Write([byte[]](0x35), 0, 1); $file.Dispose() }
    $self.Refresh()
    $before = $self.WorkingSet64
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $output = & $Command
    $ms = $watch.Elapsed.TotalMilliseconds
    $self.Refresh()
    [pscustomobject]@{ Ms = $ms; GrowthMB = ($self.PeakWorkingSet64 - $before) / 1MB; Output = $output }
}

$journals = [ordered]@{ fresh = $FreshJournal; year = $YearJournal }
$results = @{}
foreach ($name in $journals.Keys) {
    $results[$name] = @{ noWait = [Collections.Generic.List[double]]::new(); requestId = [Collections.Generic.List[double]]::new()
        first20 = [Collections.Generic.List[double]]::new(); oldest = [Collections.Generic.List[double]]::new(); growthMB = [Collections.Generic.List[double]]::new() }
}

function Measure-Round([string] $name, [int] $round) {
    $journal = $journals[$name]
    $into = $results[$name]
    $submit = Measure-CassetteCommand { New-CassetteTrack -Prompt "journal benchmark $round" -Duration 10 -NoWait -JournalPath $journal }
    $lookup = Measure-CassetteCommand { Get-CassetteJob -RequestId $submit.Output.RequestId -JournalPath $journal }
    $first = Measure-CassetteCommand { Get-CassetteJob -First 20 -JournalPath $journal }
    # Unknown to the engine too (404, RequestNotFound), so both journals pay the same round trip.
    $oldest = Measure-CassetteCommand { Get-CassetteJob -RequestId $OldestRequestId -JournalPath $journal -ErrorAction SilentlyContinue }
    if (@($first.Output).Count -ne 20 -and $name -eq 'year') { throw "Get-CassetteJob -First 20 gave $(@($first.Output).Count) requests." }
    if ($lookup.Output.RequestId -ne $submit.Output.RequestId) { throw 'Get-CassetteJob -RequestId did not find the request just submitted.' }
    if ($round -ge 0) {
        $into.noWait.Add($submit.Ms); $into.requestId.Add($lookup.Ms); $into.first20.Add($first.Ms); $into.oldest.Add($oldest.Ms)
        foreach ($m in $submit, $lookup, $first, $oldest) { $into.growthMB.Add($m.GrowthMB) }
    }
}

# Warm-up of every command on both journals (JIT, connections, the file cache), not counted.
Measure-Round fresh -1
Measure-Round year -1
for ($round = 0; $round -lt $Rounds; $round++) {
    # Alternated so that the machine's drift hits both journals alike.
    $order = if ($round % 2) { 'year', 'fresh' } else { 'fresh', 'year' }
    foreach ($name in $order) { Measure-Round $name $round }
}
$results | ConvertTo-Json -Compress -Depth 4
