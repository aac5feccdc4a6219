# Issue 13, the journal never breaks: a line it cannot use is skipped with one warning naming its line number while the
# entries around it stay listed and usable; a journal that cannot be written (full disk, read-only file system, no
# permission) costs one warning with the request id at once, not a 15 s retry per submission; a folder given as the
# journal is a clear error before anything is submitted.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests the journal, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true')

    function New-JournalLine([string] $RequestId, [hashtable] $Override = @{}) {
        $line = [ordered]@{ v = 1; event = 'submitted'; request_id = $RequestId; model = 'CassetteAI/music-generator'; prompt = "prompt of $RequestId"
            duration = 10; estimated_cost = 0.0033; queue_url = $engine.Url; at = [datetimeoffset]::UtcNow.ToString('o') }
        foreach ($name in $Override.Keys) { $line[$name] = $Override[$name] }
        $line | ConvertTo-Json -Compress
    }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'A journal line the reader cannot use' {
    BeforeEach {
        $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive
        # Two real requests around the bad line, so that "still usable" means the queue can be asked about them.
        $script:first = New-CassetteTrack 'first good entry' 10 -NoWait
        $script:second = New-CassetteTrack 'second good entry' 10 -NoWait
        $lines = @(Get-Content -LiteralPath $journal)
        $lines.Count | Should -Be 2
    }
    AfterEach { Clear-TestEnvironment }

    It 'skips <Name> with one warning naming line 2, and the entries around it still work' -ForEach @(
        @{ Name = 'an estimated_cost of 1e30'; Bad = { (New-JournalLine 'bad-cost') -replace '"estimated_cost":[0-9.]+', '"estimated_cost":1e30' } }
        @{ Name = 'a model that is not a model id'; Bad = { New-JournalLine 'bad-model' @{ model = 'not a model' } } }
        @{ Name = 'a duration of 1e300'; Bad = { (New-JournalLine 'bad-duration') -replace '"duration":10', '"duration":1e300' } }
        @{ Name = 'a queue_url that is ftp'; Bad = { New-JournalLine 'bad-queue' @{ queue_url = 'ftp://files.example.com/' } } }
        @{ Name = 'a request_id that is a number'; Bad = { (New-JournalLine 'x') -replace '"request_id":"x"', '"request_id":42' } }
        @{ Name = 'a JSON array'; Bad = { '[1,2,3]' } }
        @{ Name = 'a line of 100000 brackets'; Bad = { '[' * 100000 } }
        @{ Name = 'bytes that are not UTF-8'; Bad = { [byte[]](0xC3, 0x28, 0xFF, 0xFE, 0x7B) } }
    ) {
        $badLine = & $Bad
        $bad = if ($badLine -is [byte[]]) { $badLine } else { [Text.Encoding]::UTF8.GetBytes([string]$badLine) }
        $lines = @(Get-Content -LiteralPath $journal)
        $utf8 = [Text.Encoding]::UTF8
        [IO.File]::WriteAllBytes($journal, [byte[]]($utf8.GetBytes($lines[0] + "`n") + $bad + $utf8.GetBytes("`n" + $lines[1] + "`n")))

        $list = Invoke-WithDeadline { Get-CassetteJob }
        $list.Errors | Should -BeNullOrEmpty
        @($list.Output.RequestId) | Should -Be @($second.RequestId, $first.RequestId)
        @($list.Warnings | Where-Object { $_ -match 'line 2\b' }).Count | Should -Be 1 -Because 'one warning per unusable line, naming it'
        $list.Warnings | Should -Match ([regex]::Escape($journal))

        $piped = Invoke-WithDeadline { Get-CassetteJob -Status InQueue, InProgress, Completed | Get-CassetteJob }
        $piped.Errors | Should -BeNullOrEmpty
        @($piped.Output.RequestId) | Should -Contain $first.RequestId
        @($piped.Output.RequestId) | Should -Contain $second.RequestId

        $saved = Invoke-WithDeadline { Get-CassetteJob -RequestId $id | Save-CassetteAudio -Path $folder -PassThru } -Variables @{ id = $first.RequestId; folder = $folder }
        $saved.Errors | Should -BeNullOrEmpty
        $saved.Output[0].RequestId | Should -Be $first.RequestId

        $stopped = Invoke-WithDeadline { Stop-CassetteJob -RequestId $id -PassThru } -Variables @{ id = $second.RequestId }
        $stopped.Errors | Should -BeNullOrEmpty
        $stopped.Output[0].RequestId | Should -Be $second.RequestId
    }
}

Describe 'A journal that cannot be written' {
    BeforeEach { $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive }
    AfterEach { Clear-TestEnvironment }

    It 'a full disk (/dev/full, ENOSPC) costs one warning with the request id, at once' -Skip:(-not (Test-Path /dev/full)) {
        $env:CASSETTE_JOURNAL_PATH = '/dev/full'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-WithDeadline { New-CassetteTrack 'nowhere to write' 10 -NoWait }
        $clock.Stop()
        $run.Errors | Should -BeNullOrEmpty
        $requestId = $run.Output[0].RequestId
        @($run.Warnings | Where-Object { $_ -match [regex]::Escape($requestId) -and $_ -match 'No space left' }).Count | Should -Be 1
        # The journal used to retry a full disk as lock contention for 15 s per submission.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'a full disk is not retried as if another writer held the lock'
    }

    It 'a read-only file system (EROFS) costs one warning with the request id, at once' {
        $mount = Join-Path $TestDrive 'readonly'
        $null = New-Item -ItemType Directory -Path $mount
        & mount -t tmpfs -o ro,size=64k tmpfs $mount 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'mounting a read-only tmpfs needs root and a kernel that allows it'; return }
        try {
            $env:CASSETTE_JOURNAL_PATH = Join-Path $mount 'journal.jsonl'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $run = Invoke-WithDeadline { New-CassetteTrack 'read-only journal' 10 -NoWait }
            $clock.Stop()
            $run.Errors | Should -BeNullOrEmpty
            $requestId = $run.Output[0].RequestId
            @($run.Warnings | Where-Object { $_ -match [regex]::Escape($requestId) -and $_ -match 'Read-only file system' }).Count | Should -Be 1
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'a read-only file system is not retried as if another writer held the lock'
        }
        finally { & umount $mount }
    }

    It 'a journal it may not write (EACCES or EPERM) costs one warning with the request id' {
        Set-Content -LiteralPath $journal -Value ''
        $isRoot = (& id -u) -eq '0'
        if ($isRoot) { & chattr +i $journal 2>$null } else { & chmod 444 $journal }
        if ($isRoot -and $LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'root ignores permissions and this file system has no immutable flag'; return }
        try {
            $run = Invoke-WithDeadline { New-CassetteTrack 'no permission' 10 -NoWait }
            $run.Errors | Should -BeNullOrEmpty
            $requestId = $run.Output[0].RequestId
            @($run.Warnings | Where-Object { $_ -match [regex]::Escape($requestId) }).Count | Should -Be 1
        }
        finally { if ($isRoot) { & chattr -i $journal } else { & chmod 644 $journal } }
    }

    It '<Cmdlet> with a folder as the journal stops with InvalidJournalPath before anything is sent' -ForEach @(
        @{ Cmdlet = 'NewCassetteTrackCommand'; Run = { New-CassetteTrack 'folder journal' 10 -JournalPath $folder } }
        @{ Cmdlet = 'GetCassetteJobCommand'; Run = { Get-CassetteJob -JournalPath $folder } }
        @{ Cmdlet = 'GetCassetteJobCommand'; Run = { $env:CASSETTE_JOURNAL_PATH = $folder; Get-CassetteJob } }
    ) {
        $submits = Add-EngineCallCounter $engine 'submit'
        $run = Invoke-WithDeadline $Run -Variables @{ folder = $folder }
        $run.Error.FullyQualifiedErrorId | Should -Be "InvalidJournalPath,Cassette.Cmdlets.$Cmdlet"
        $run.Error.Exception.Message | Should -Match ([regex]::Escape($folder))
        $run.Output | Should -BeNullOrEmpty
        Get-EngineFaultFired $engine $submits | Should -Be 0
        Clear-EngineFault $engine
    }
}
