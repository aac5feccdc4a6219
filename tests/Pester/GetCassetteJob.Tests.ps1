BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests request status and the journal, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '1', '--ProcessingSeconds', '2')
    $script:id = 'GetCassetteJobCommand'
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Get-CassetteJob' {
    BeforeEach {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        Use-TestEngine -Engine $engine -JournalPath $journal
    }
    AfterEach { Clear-TestEnvironment }

    Context 'one request from the queue' {
        It 'reports a queued request with its queue position, then the completed one with its track' {
            $first = New-CassetteTrack 'ahead' 10 -NoWait
            $second = New-CassetteTrack 'behind' 10 -NoWait
            $third = New-CassetteTrack 'last' 10 -NoWait
            $queued = Get-CassetteJob -RequestId $third.RequestId
            $queued.Status | Should -Be 'InQueue'
            $queued.QueuePosition | Should -BeGreaterThan 0
            $queued.Prompt | Should -Be 'last' -Because 'the journal remembers what was submitted'

            $done = $first, $second, $third | Get-CassetteJob -Wait
            $done | Should -HaveCount 3
            $done[0] | Should -BeOfType ([Cassette.CassetteTrack])
            $completed = Get-CassetteJob -RequestId $third.RequestId -IncludeLogs
            $completed.Status | Should -Be 'Completed'
            $completed.Track.AudioUrl | Should -Not -BeNullOrEmpty
            $completed.AudioUrl | Should -Be $completed.Track.AudioUrl
            $completed.Logs.Message | Should -Contain 'Generation finished.'
            $completed.InferenceTime | Should -BeGreaterThan 0
        }

        It 'leaves the logs out unless -IncludeLogs is given' {
            $track = New-CassetteTrack 'quiet' 10
            (Get-CassetteJob -RequestId $track.RequestId).Logs | Should -BeNullOrEmpty
        }

        It 'takes the request from the pipeline: a track, a request id string, an object with request_id or Id' {
            $track = New-CassetteTrack 'piped' 10
            ($track | Get-CassetteJob).RequestId | Should -Be $track.RequestId
            ($track.RequestId | Get-CassetteJob).Status | Should -Be 'Completed'
            ([pscustomobject]@{ request_id = $track.RequestId } | Get-CassetteJob).RequestId | Should -Be $track.RequestId
            ([pscustomobject]@{ Id = $track.RequestId } | Get-CassetteJob).RequestId | Should -Be $track.RequestId
        }

        It 'finds a request it never journaled, from -QueueUrl and the key alone' {
            $track = New-CassetteTrack 'elsewhere' 10
            $env:CASSETTE_JOURNAL_PATH = Join-Path $TestDrive 'empty-journal.jsonl'
            $job = Get-CassetteJob -RequestId $track.RequestId -QueueUrl $engine.Url -ApiKey $engine.ApiKey
            $job.Status | Should -Be 'Completed'
            $job.Track.AudioUrl | Should -Be $track.AudioUrl
        }

        It 'reports an unknown request id as RequestNotFound with the request as target' {
            $err = { Get-CassetteJob -RequestId 'no-such-request' -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "RequestNotFound,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject.RequestId | Should -Be 'no-such-request'
        }

        It '-Wait reports a cancelled request as RequestCancelled' {
            $job = New-CassetteTrack 'doomed' 10 -NoWait
            $null = New-CassetteTrack 'doomed too' 10 -NoWait | Stop-CassetteJob
            $victim = Get-CassetteJob -First 1
            $err = { $victim | Get-CassetteJob -Wait -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "RequestCancelled,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'OperationStopped'
            $null = $job | Get-CassetteJob -Wait
        }

        It '-Wait -TimeoutSec stops waiting with Timeout but leaves the request running' {
            $blocker = New-CassetteTrack 'slow blocker' 10 -NoWait
            $job = New-CassetteTrack 'waited on' 10 -NoWait
            $err = { $job | Get-CassetteJob -Wait -TimeoutSec 1 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "Timeout,Cassette.Cmdlets.$id"
            ($job | Get-CassetteJob -Wait).RequestId | Should -Be $job.RequestId -Because 'the request was not cancelled'
            $null = $blocker | Get-CassetteJob -Wait
        }
    }

    Context 'the journal' {
        It 'lists every submission newest first, with what was asked and where' {
            $a = New-CassetteTrack 'first' 10 -NoWait
            # Newest first is by submission time: the second must be submitted at a later instant, however fast.
            Wait-Until { [DateTimeOffset]::UtcNow -gt $a.SubmittedAt } -Because 'the clock to pass the first submission'
            $b = New-CassetteTrack 'second' 11 -NoWait
            $list = Get-CassetteJob
            $list.RequestId | Should -Be @($b.RequestId, $a.RequestId)
            $list[0].Prompt | Should -Be 'second'
            $list[0].Duration | Should -Be 11
            $list[0].Model | Should -Be 'CassetteAI/music-generator'
            $list[0].QueueUrl.AbsoluteUri | Should -Be $engine.Url
            $list[0].SubmittedAt | Should -Not -BeNullOrEmpty
            $null = $a, $b | Get-CassetteJob -Wait
        }

        It 'records the outcome, filters by -Status and limits with -First' {
            $done = New-CassetteTrack 'finished' 10
            $cancelled = New-CassetteTrack 'cancelled' 10 -NoWait
            $cancelled | Stop-CassetteJob
            (Get-CassetteJob -Status Completed).RequestId | Should -Be @($done.RequestId)
            (Get-CassetteJob -Status Cancelled).RequestId | Should -Be @($cancelled.RequestId)
            (Get-CassetteJob -Status Completed, Cancelled) | Should -HaveCount 2
            Get-CassetteJob -First 1 | Should -HaveCount 1
            (Get-CassetteJob -Status Completed).Track.AudioUrl | Should -Be $done.AudioUrl
        }

        It 'never writes the key into the journal' {
            $null = New-CassetteTrack 'secret keeping' 10
            Get-Content -LiteralPath $journal -Raw | Should -Not -Match ([regex]::Escape($engine.ApiKey))
        }

        It 'takes its location from -JournalPath over CASSETTE_JOURNAL_PATH' {
            $other = Join-Path $TestDrive 'other' 'journal.jsonl'
            $job = New-CassetteTrack 'elsewhere' 10 -NoWait -JournalPath $other
            $other | Should -Exist
            (Get-CassetteJob -JournalPath $other).RequestId | Should -Be $job.RequestId
            Get-CassetteJob | Should -BeNullOrEmpty
            $null = $job | Get-CassetteJob -Wait
        }

        It 'skips a line cut short by a crash and keeps the others' {
            $job = New-CassetteTrack 'survivor' 10 -NoWait
            Add-Content -LiteralPath $journal -Value '{"v":1,"event":"submitted","request_id":"broken' -NoNewline
            $later = New-CassetteTrack 'after the crash' 10 -NoWait
            (Get-CassetteJob).RequestId | Should -Be @($later.RequestId, $job.RequestId)
            $null = $job, $later | Get-CassetteJob -Wait
        }

        It 'stays whole with many writers: parallel runspaces and a second pwsh process' {
            $module = Get-TestModulePath
            $child = "Import-Module '$module'; 1..10 | ForEach-Object { `$null = New-CassetteTrack ""process `$_"" 10 -NoWait }"
            $process = Start-ChildPwsh $child
            1..20 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:module
                $null = New-CassetteTrack "thread $_" 10 -NoWait
            }
            $process.WaitForExit(120000) | Should -BeTrue
            $process.ExitCode | Should -Be 0
            $lines = Get-Content -LiteralPath $journal
            $lines | Should -HaveCount 30
            $lines | ForEach-Object { $null = $_ | ConvertFrom-Json }
            (Get-CassetteJob).RequestId | Select-Object -Unique | Should -HaveCount 30
            Get-CassetteJob | Stop-CassetteJob -WarningAction SilentlyContinue
        }
    }
}
