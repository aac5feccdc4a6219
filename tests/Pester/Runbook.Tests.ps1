# The runbook example (examples/runbook.ps1, shown in README.md and about_Cassette) run as a platform runs it: in its
# own pwsh, killed part-way, started again to the end, then once more. Nothing may be paid or downloaded twice.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'RunbookHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Two seconds a request: the kill lands while the next requests generate, not while one is being submitted.
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests the runbook's resumable batch, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '2', '--ProcessingSeconds', '2')
    $script:runbook = Join-Path $PSScriptRoot '../../examples/runbook.ps1' | Resolve-Path | Select-Object -ExpandProperty Path
    # The runbook imports the module by name, as it would on a platform where the module is installed.
    $script:modulePath = Split-Path (Get-TestModulePath) -Parent
    $script:journal = Join-Path $TestDrive 'journal.jsonl'
    Use-TestEngine -Engine $engine -JournalPath $journal

    function Start-Runbook {
        <# Starts the runbook in a child pwsh that first writes its own $PID (dotnet pwsh puts a muxer in front of it). #>
        param([string] $PidPath, [string] $LogPath, [hashtable] $Arguments)
        $splat = ($Arguments.GetEnumerator() | ForEach-Object { "-$($_.Key) '$($_.Value -replace "'", "''")'" }) -join ' '
        $script = @"
`$ProgressPreference = 'SilentlyContinue'
`$env:PSModulePath = '$modulePath' + [IO.Path]::PathSeparator + `$env:PSModulePath
Set-Content -LiteralPath '$PidPath' -Value `$PID
try { & '$runbook' $splat *>&1 | Out-File -LiteralPath '$LogPath' -Append; exit 0 }
catch { `$_ | Out-String | Out-File -LiteralPath '$LogPath' -Append; exit 1 }
"@
        Start-ChildPwsh $script
    }
}

AfterAll {
    Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'The runbook example' {
    It 'survives being killed after 3 of 8 files: the re-run pays only for the rest, a third run does nothing' {
        $csv = Join-Path $TestDrive 'prompts.csv'
        # The last two prompts are identical: two items, told apart by their place among identical items.
        New-PromptCsv -LiteralPath $csv -Duration 10 -Prompt @(
            'Lo-fi hip-hop, Key: D Minor, 80 BPM', 'Ambient drone, Key: C Major', 'Upbeat synthwave, 120 BPM',
            'Jazz trio, brushes, Key: F Major', 'Dark techno, 130 BPM', 'Acoustic folk, Key: G Major',
            'Rain on a tin roof, ambient', 'Rain on a tin roof, ambient')
        $folder = Join-Path $TestDrive 'music'
        $log = Join-Path $TestDrive 'runbook.log'
        $arguments = @{
            CsvPath = $csv; OutputFolder = $folder; ThrottleLimit = 2; MaxCost = 1
            # What the runbook's default computes; passed once so that a run across midnight stays one batch.
            BatchName = 'runbook-' + [DateTime]::UtcNow.ToString('yyyy-MM-dd')
        }

        # 1. Killed (SIGKILL: no cleanup, no cancel) once three files are saved.
        $pidPath = Join-Path $TestDrive 'first.pid'
        $first = Start-Runbook -PidPath $pidPath -LogPath $log -Arguments $arguments
        try {
            Wait-Until { $first.HasExited -or @(Get-ChildItem -LiteralPath $folder -Filter '*.wav' -ErrorAction SilentlyContinue).Count -ge 3 } `
                -TimeoutSec 300 -Because 'the first run to save three files'
            $first.HasExited | Should -BeFalse -Because "the first run was to be killed part-way: $(Get-Content -LiteralPath $log -Raw -ErrorAction SilentlyContinue)"
            Stop-Process -Id ([int](Get-Content -LiteralPath $pidPath)) -Force
            $first.WaitForExit(60000) | Should -BeTrue
        }
        finally { if (-not $first.HasExited) { $first.Kill($true) } }
        $afterKill = @(Get-ChildItem -LiteralPath $folder -Filter '*.wav').Count
        $afterKill | Should -BeLessThan 8 -Because 'the kill came before the batch was done'
        $journaledAtKill = @(Get-CassetteJob).Count
        $submittedAtKill = (Get-EngineCallCount -Engine $engine).submit
        # A SIGKILL can land after fal accepted a submission and before its answer reached the journal: fal gives
        # the id only in that answer, so no client can know of that request afterwards. At most one submission per
        # -ThrottleLimit slot can be caught like that; every other paid request must be in the journal.
        $lostAtKill = $submittedAtKill - $journaledAtKill
        $lostAtKill | Should -BeIn (0..$arguments.ThrottleLimit) -Because "only submissions in flight at the kill can miss the journal ($submittedAtKill submitted, $journaledAtKill journaled)"

        # 2. Run again to the end: completed items are reused, in-flight ones waited for, the rest submitted.
        $second = Start-Runbook -PidPath (Join-Path $TestDrive 'second.pid') -LogPath $log -Arguments $arguments
        try { $second.WaitForExit(300000) | Should -BeTrue -Because 'the second run ends' }
        finally { if (-not $second.HasExited) { $second.Kill($true) } }
        $second.ExitCode | Should -Be 0 -Because (Get-Content -LiteralPath $log -Raw)
        $afterSecond = Get-EngineCallCount -Engine $engine

        # 3. A third run finds everything done.
        $third = Start-Runbook -PidPath (Join-Path $TestDrive 'third.pid') -LogPath $log -Arguments $arguments
        try { $third.WaitForExit(300000) | Should -BeTrue -Because 'the third run ends' }
        finally { if (-not $third.HasExited) { $third.Kill($true) } }
        $third.ExitCode | Should -Be 0 -Because (Get-Content -LiteralPath $log -Raw)
        $afterThird = Get-EngineCallCount -Engine $engine

        $afterSecond.submit - $submittedAtKill | Should -Be (8 - $journaledAtKill) -Because 'the re-run pays only for the items the journal did not have'
        $afterThird.submit | Should -Be (8 + $lostAtKill) -Because 'the engine queued each of the 8 items once over three runs, plus what the kill cut off'
        $afterThird.submit - $afterSecond.submit | Should -Be 0 -Because 'the third run submits nothing'
        $afterThird.file - $afterSecond.file | Should -Be 0 -Because 'the third run downloads nothing'

        $requests = @(Get-CassetteJob)
        $requests.Count | Should -Be 8
        @($requests.RequestId | Sort-Object -Unique).Count | Should -Be 8
        $requests.Status | Sort-Object -Unique | Should -Be 'Completed'

        $files = @(Get-ChildItem -LiteralPath $folder -Force)
        $files.Name | Where-Object { $_ -notlike '*.wav' } | Should -BeNullOrEmpty -Because 'no partial or temporary file is left'
        $files.Count | Should -Be 8 -Because 'one file per item, no duplicates'
        foreach ($file in $files) { Test-CompleteWav -LiteralPath $file.FullName | Should -BeTrue -Because "$($file.Name) is a whole WAV" }
        # Every file belongs to a different request of the batch.
        $owners = foreach ($file in $files) { @($requests | Where-Object { $file.Name -like "*-$($_.RequestId.Substring(0, 8)).wav" }).RequestId }
        @($owners | Sort-Object -Unique).Count | Should -Be 8
    }
}

Describe 'The documented runbook' {
    It 'is the one README.md and about_Cassette show' {
        $root = Join-Path $PSScriptRoot '../..'
        $body = (Get-Content -LiteralPath $runbook | Where-Object { $_ -match '^\$ErrorActionPreference' -or $_ -match '^(Import-|\$null = New-Item|    (New|Save)-Cassette)' }) -join "`n"
        $body | Should -Match 'SkipExisting' -Because 'the check reads the runbook itself'
        foreach ($document in 'README.md', 'src/Cassette/en-US/about_Cassette.help.txt') {
            $text = Get-Content -LiteralPath (Join-Path $root $document) -Raw
            foreach ($line in $body -split "`n") {
                $text | Should -Match ([regex]::Escape($line.Trim())) -Because "$document shows the runbook's line '$($line.Trim())'"
            }
        }
    }
}
