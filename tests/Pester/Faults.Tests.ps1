# Faults the module must survive, end to end: a real engine with fault rules (docs/local-engine.md, "Fault injection"),
# the built module in its own runspace under a deadline. After every fault a request is either delivered or reported
# with its request id, which stays in the journal so that Get-CassetteJob | Save-CassetteAudio can finish it later.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # One worker and 0.05 s of server time per second of audio: a 10 s track takes half a second, a 100 s one blocks the queue for five.
    # The real synthesizer (not Start-TestEngine -LoopedAudio): this file compares resumed downloads with whole ones byte for byte, and identical looped tracks could hide a wrong file.
    $script:engine = Start-TestEngine -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '1', '--ProcessingSecondsPerAudioSecond', '0.05')
    $script:new = 'Cassette.Cmdlets.NewCassetteTrackCommand'
    $script:save = 'Cassette.Cmdlets.SaveCassetteAudioCommand'
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Faults the module survives' {
    BeforeEach { $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive }
    AfterEach {
        Clear-EngineFault $engine
        Get-ChildItem -LiteralPath $folder -Force -Filter '*.partial' | Should -BeNullOrEmpty -Because 'no half-written file is ever left'
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        Clear-TestEnvironment
    }

    Context 'throttling and gateway answers are retried' {
        It 'waits out a 429 whose Retry-After is in seconds' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 429; retryAfter = 1; detail = 'Too many requests.' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'throttled' 10 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0].RequestId | Should -Not -BeNullOrEmpty
            Get-EngineFaultFired $engine $rule | Should -Be 1
            $run.Verbose | Where-Object { $_ -match '429 \(Too Many Requests\); retry 1 of 3 in 1\.0 s' } | Should -Not -BeNullOrEmpty -Because 'Retry-After is the wait'
        }

        It 'waits out a 429 whose Retry-After is an HTTP date' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 429; retryAfter = 2; retryAfterFormat = 'http-date' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'throttled by date' 10 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0].Prompt | Should -Be 'throttled by date'
            Get-EngineFaultFired $engine $rule | Should -Be 1
            # The date has whole seconds, so the wait is up to two seconds, never the backoff's own 0.5 s guess.
            $line = $run.Verbose | Where-Object { $_ -match '429 .*retry 1 of 3 in (\d+\.\d) s' } | Select-Object -First 1
            $line | Should -Not -BeNullOrEmpty
            [double]$Matches[1] | Should -BeLessOrEqual 2.0
        }

        It 'retries <Status> on <Target> <Label> and delivers' -ForEach @(
            # Gateway answers are retried when fal's ingress sent them (its nginx page) or fal names a runner's trouble;
            # a bare 5xx that carries the request's id is the model's own answer (Fidelity.Tests.ps1).
            @{ Status = 502; Target = 'submit'; ErrorType = $null; Label = 'from fal''s ingress (nginx)' }
            @{ Status = 502; Target = 'result'; ErrorType = 'runner_incomplete_response'; Label = 'with fal''s error_type' }
            @{ Status = 503; Target = 'stream'; ErrorType = 'runner_scheduling_failure'; Label = 'with fal''s error_type' }
            @{ Status = 503; Target = 'result'; ErrorType = $null; Label = 'from fal''s ingress (nginx)' }
            @{ Status = 504; Target = 'submit'; ErrorType = $null; Label = 'from fal''s ingress (nginx)' }
            @{ Status = 504; Target = 'stream'; ErrorType = $null; Label = 'from fal''s ingress (nginx)' }
            @{ Status = 408; Target = 'result'; ErrorType = $null; Label = 'without a body' }
            @{ Status = 409; Target = 'submit'; ErrorType = $null; Label = 'without a body' }
        ) {
            $rule = @{ target = $Target; kind = 'http'; status = $Status; count = 2 }
            if ($ErrorType) { $rule.errorType = $ErrorType }
            if ($Label -match 'nginx') { $rule.body = "<html><body><center><h1>$Status</h1></center><hr><center>nginx</center></body></html>"; $rule.contentType = 'text/html' }
            $rule = Add-EngineFault $engine $rule
            $run = Invoke-WithDeadline { New-CassetteTrack 'through the storm' 10 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0] | Should -BeOfType ([Cassette.CassetteTrack])
            Get-EngineFaultFired $engine $rule | Should -Be 2
            @($run.Verbose | Where-Object { $_ -match "^(The queue|Request \S+): $Status .*retry [12] of 3" }) | Should -HaveCount 2
        }

        It 'gives up after -MaxRetryCount <Retries> with QueueUnavailable, and nothing was submitted' -ForEach @(@{ Retries = 0 }, @{ Retries = 2 }) {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 503; errorType = 'runner_scheduling_failure'; count = 0 }
            $run = Invoke-WithDeadline { New-CassetteTrack 'never queued' 10 -MaxRetryCount $Retries } -Variables @{ Retries = $Retries }
            $run.Error.FullyQualifiedErrorId | Should -Be "QueueUnavailable,$new"
            $run.Error.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $run.Error.Exception.ErrorType | Should -Be 'runner_scheduling_failure'
            Get-EngineFaultFired $engine $rule | Should -Be ($Retries + 1)
            Get-CassetteJob | Should -BeNullOrEmpty
        }
    }

    Context 'what must not be retried is not' {
        It 'sends a submission answered <Status> once and reports <Id>' -ForEach @(
            @{ Status = 400; Id = 'RequestRejected'; Body = $null }
            @{ Status = 401; Id = 'Unauthorized'; Body = $null }
            @{ Status = 403; Id = 'Unauthorized'; Body = $null }
            @{ Status = 404; Id = 'ModelNotFound'; Body = $null }
            @{ Status = 422; Id = 'ValidationFailed'; Body = '{"detail":[{"loc":["body","prompt"],"msg":"Prompt rejected by the content policy","type":"content_policy_violation"}]}' }
            @{ Status = 500; Id = 'ServerError'; Body = $null }
        ) {
            $rule = @{ target = 'submit'; kind = 'http'; status = $Status; count = 0; detail = "Injected $Status." }
            if ($Body) { $rule.Remove('detail'); $rule.body = $Body; $rule.contentType = 'application/json' }
            $rule = Add-EngineFault $engine $rule
            $run = Invoke-WithDeadline { New-CassetteTrack 'refused' 10 -MaxRetryCount 5 }
            $run.Error.FullyQualifiedErrorId | Should -Be "$Id,$new"
            Get-EngineFaultFired $engine $rule | Should -Be 1
            $run.Verbose | Where-Object { $_ -match 'retry' } | Should -BeNullOrEmpty
        }

        It 'does not retry the 504 that reports the -StartTimeoutSec deadline (X-Fal-Request-Timeout-Type: user)' {
            $blocker = New-CassetteTrack 'blocker' 100 -NoWait
            $results = Add-EngineCallCounter $engine 'result'
            $run = Invoke-WithDeadline { New-CassetteTrack 'impatient' 10 -StartTimeoutSec 2 -MaxRetryCount 5 }
            $run.Error.FullyQualifiedErrorId | Should -Be "StartTimeoutExpired,$new"
            $run.Error.TargetObject.RequestId | Should -Not -BeNullOrEmpty
            Get-EngineFaultFired $engine $results | Should -Be 1 -Because 'the 504 was read once and not asked again'
            $blocker | Stop-CassetteJob
        }
    }

    Context 'broken connections and slow answers' {
        It 'retries a submission whose connection was refused, then reports ConnectionFailed' {
            $refused = Get-RefusedLoopbackUrl
            $run = Invoke-WithDeadline { New-CassetteTrack 'nobody home' 10 -QueueUrl $refused -MaxRetryCount 2 } -Variables @{ refused = $refused }
            $run.Error.FullyQualifiedErrorId | Should -Be "ConnectionFailed,$new"
            $run.Error.CategoryInfo.Category | Should -Be 'ConnectionError'
            $run.Verbose | Where-Object { $_ -match 'retry 2 of 2' } | Should -Not -BeNullOrEmpty -Because 'a refused connection never reached the server, so it is safe to try again'
        }

        It 'retries a call whose connection was reset on <Target>, and delivers' -ForEach @(@{ Target = 'stream' }, @{ Target = 'result' }) {
            $rule = Add-EngineFault $engine @{ target = $Target; kind = 'reset' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'reset once' 10 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0].AudioUrl | Should -Not -BeNullOrEmpty
            Get-EngineFaultFired $engine $rule | Should -Be 1
        }

        It 'retries a result whose answer was lost (drop-response), and delivers' {
            $rule = Add-EngineFault $engine @{ target = 'result'; kind = 'drop-response' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'lost answer' 10 }
            $run.Errors | Should -BeNullOrEmpty
            Get-EngineFaultFired $engine $rule | Should -Be 1
        }

        It 'does not send again a submission whose connection <Kind> after sending, and says its outcome is unknown' -ForEach @(
            @{ Kind = 'reset' }, @{ Kind = 'drop-response' }
        ) {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = $Kind }
            $later = Add-EngineCallCounter $engine 'submit'
            $run = Invoke-WithDeadline { New-CassetteTrack 'maybe queued' 10 -MaxRetryCount 5 }
            $run.Error.FullyQualifiedErrorId | Should -Be "SubmissionOutcomeUnknown,$new"
            $run.Error.CategoryInfo.Category | Should -Be 'ConnectionError'
            $run.Error.Exception.Message | Should -Match 'not sent again'
            Get-EngineFaultFired $engine $rule | Should -Be 1
            Get-EngineFaultFired $engine $later | Should -Be 0 -Because 'a second submission could be paid for twice'
        }

        It 'waits for slow answers (<Target> delayed 1.5 s) without giving up' -ForEach @(@{ Target = 'submit' }, @{ Target = 'result' }, @{ Target = 'stream' }) {
            $rule = Add-EngineFault $engine @{ target = $Target; kind = 'delay'; delayMs = 1500 }
            $run = Invoke-WithDeadline { New-CassetteTrack 'patience' 10 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Verbose | Where-Object { $_ -match 'retry' } | Should -BeNullOrEmpty
            Get-EngineFaultFired $engine $rule | Should -Be 1
        }

        It 'asks again when an answer takes longer than -ReadTimeoutSec' {
            $rule = Add-EngineFault $engine @{ target = 'result'; kind = 'delay'; delayMs = 5000 }
            $run = Invoke-WithDeadline { New-CassetteTrack 'too slow once' 10 -ReadTimeoutSec 1 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Verbose | Where-Object { $_ -match 'no answer within 1 s .*retry 1 of 3' } | Should -Not -BeNullOrEmpty
        }
    }

    Context 'the status stream falls back to polling' {
        It 'polls when the stream <Why>' -ForEach @(
            @{ Why = 'ends before COMPLETED'; Fault = @{ target = 'stream'; kind = 'truncate' } }
            @{ Why = 'stalls after its first event'; Fault = @{ target = 'stream'; kind = 'stall' } }
            @{ Why = 'answers with something that is not an event stream'; Fault = @{ target = 'stream'; kind = 'invalid-json' } }
            @{ Why = 'keeps failing'; Fault = @{ target = 'stream'; kind = 'http'; status = 500; count = 0 } }
        ) {
            $rule = Add-EngineFault $engine $Fault
            $run = Invoke-WithDeadline { New-CassetteTrack 'stream trouble' 10 -ReadTimeoutSec 2 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0] | Should -BeOfType ([Cassette.CassetteTrack])
            $run.Verbose | Where-Object { $_ -match 'polling instead' } | Should -Not -BeNullOrEmpty
            Get-EngineFaultFired $engine $rule | Should -BeGreaterOrEqual 1
        }
    }

    Context 'downloads resume or restart, and never leave a partial file' {
        BeforeEach {
            $script:track = New-CassetteTrack 'to be downloaded' 10
            $script:whole = Join-Path $TestDrive "whole-$([guid]::NewGuid().ToString('N')).wav"
            $null = $track | Save-CassetteAudio -LiteralPath $whole
        }

        It 'resumes a download that <Why> with a Range request, and the file is whole' -ForEach @(
            @{ Why = 'is cut short'; Fault = @{ kind = 'truncate'; bytes = 65536 }; Said = 'ended after 65536 of' }
            @{ Why = 'stalls'; Fault = @{ kind = 'stall'; bytes = 65536 }; Said = 'sent nothing for 1 s' }
        ) {
            $rule = Add-EngineFault $engine ($Fault + @{ target = 'file'; requestId = $track.RequestId })
            $run = Invoke-WithDeadline { $track | Save-CassetteAudio -Path $folder -ReadTimeoutSec 1 -PassThru } -Variables @{ track = $track; folder = $folder }
            $run.Errors | Should -BeNullOrEmpty
            $saved = $run.Output[0]
            $saved.Size | Should -Be $track.FileSize
            (Get-FileHash -LiteralPath $saved.Path).Hash | Should -Be (Get-FileHash -LiteralPath $whole).Hash
            Get-EngineFaultFired $engine $rule | Should -Be 1
            $run.Verbose | Where-Object { $_ -match "$([regex]::Escape($Said)).*resuming at byte 65536, retry 1 of 3" } | Should -Not -BeNullOrEmpty
        }

        It 'retries a download whose connection was reset or that was answered 503' {
            $reset = Add-EngineFault $engine @{ target = 'file'; requestId = $track.RequestId; kind = 'reset' }
            $busy = Add-EngineFault $engine @{ target = 'file'; requestId = $track.RequestId; kind = 'http'; status = 503; retryAfter = 1 }
            $run = Invoke-WithDeadline { $track | Save-CassetteAudio -Path $folder -PassThru } -Variables @{ track = $track; folder = $folder }
            $run.Errors | Should -BeNullOrEmpty
            (Get-FileHash -LiteralPath $run.Output[0].Path).Hash | Should -Be (Get-FileHash -LiteralPath $whole).Hash
            Get-EngineFaultFired $engine $reset | Should -Be 1
            Get-EngineFaultFired $engine $busy | Should -Be 1
        }

        It 'reports <Id> with the request when every attempt <Why>, and leaves no file' -ForEach @(
            @{ Why = 'is cut short'; Fault = @{ kind = 'truncate'; bytes = 4096; count = 0 }; Id = 'DownloadIncomplete' }
            @{ Why = 'stalls'; Fault = @{ kind = 'stall'; bytes = 4096; count = 0 }; Id = 'DownloadStalled' }
        ) {
            $rule = Add-EngineFault $engine ($Fault + @{ target = 'file'; requestId = $track.RequestId })
            $run = Invoke-WithDeadline { $track | Save-CassetteAudio -Path $folder -MaxRetryCount 1 -ReadTimeoutSec 1 } -Variables @{ track = $track; folder = $folder }
            $run.Error.FullyQualifiedErrorId | Should -Be "$Id,$save"
            $run.Error.TargetObject.RequestId | Should -Be $track.RequestId
            $run.Error.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Get-CassetteJob -RequestId $($track.RequestId)"))
            Get-EngineFaultFired $engine $rule | Should -Be 2
            Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty

            Clear-EngineFault $engine
            $finished = Get-CassetteJob -Status Completed | Where-Object RequestId -EQ $track.RequestId | Save-CassetteAudio -Path $folder -PassThru
            (Get-FileHash -LiteralPath $finished.Path).Hash | Should -Be (Get-FileHash -LiteralPath $whole).Hash
        }
    }

    Context 'a request whose wait failed is finished later from the journal' {
        It 'reports the request id when the result keeps failing, then Get-CassetteJob | Save-CassetteAudio finishes it' {
            $rule = Add-EngineFault $engine @{ target = 'result'; kind = 'http'; status = 503; count = 0; contentType = 'text/html'
                body = '<html><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></html>' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'finish me later' 10 -MaxRetryCount 1 }
            $run.Error.FullyQualifiedErrorId | Should -Be "QueueUnavailable,$new"
            $requestId = $run.Error.TargetObject.RequestId
            $requestId | Should -Not -BeNullOrEmpty
            $run.Error.ErrorDetails.Message | Should -Match ([regex]::Escape($requestId))
            $run.Error.ErrorDetails.RecommendedAction | Should -Match 'Get-CassetteJob -RequestId .* Save-CassetteAudio'
            Get-EngineFaultFired $engine $rule | Should -Be 2

            Clear-EngineFault $engine
            $pending = Get-CassetteJob
            $pending.RequestId | Should -Be $requestId
            $pending.Status | Should -Not -BeIn 'Completed', 'Failed', 'Cancelled'
            $saved = Get-CassetteJob | Save-CassetteAudio -Path $folder -PassThru
            $saved.RequestId | Should -Be $requestId
            $saved.Duration | Should -Be 10
            (Get-CassetteJob).Status | Should -Be 'Completed'
        }
    }
}

Describe 'The engine restarting mid-wait' {
    BeforeEach {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        $script:folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $script:store = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder, $store
        $script:key = 'restart-' + [guid]::NewGuid().ToString('N')
        $script:engines = [System.Collections.Generic.List[object]]::new()
    }
    AfterEach {
        foreach ($started in $engines) { Stop-CassetteLocalEngine $started }
        Clear-TestEnvironment
    }

    It 'keeps a request the engine finished before it died, and saves it from the new address' {
        $first = Start-TestEngine -ApiKey $key -ArgumentList @('--StorageFolder', $store, '--EnableFaultInjection', 'true')
        $engines.Add($first)
        Use-TestEngine -Engine $first -JournalPath $journal
        # The request completes, but its result is held back until the engine is gone.
        $held = Add-EngineFault $first @{ target = 'result'; kind = 'delay'; delayMs = 120000 }
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddCommand('New-CassetteTrack').AddParameter('Prompt', 'survives a restart').AddParameter('Duration', 10).AddParameter('MaxRetryCount', 1)
            $async = $ps.BeginInvoke()
            Wait-Until { (Get-EngineFaultFired $first $held) -eq 1 } -Because 'the request to complete and its result to be asked for'
            $first.Process.Kill()
            $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'a dead engine ends the wait'
            $null = $ps.EndInvoke($async)
            $failure = $ps.Streams.Error | Select-Object -First 1
        }
        finally { $ps.Dispose() }

        $failure.FullyQualifiedErrorId | Should -Be 'ConnectionFailed,Cassette.Cmdlets.NewCassetteTrackCommand'
        $requestId = $failure.TargetObject.RequestId
        $failure.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Get-CassetteJob -RequestId $requestId"))
        (Get-CassetteJob).RequestId | Should -Be $requestId

        $second = Start-TestEngine -ApiKey $key -ArgumentList @('--StorageFolder', $store)
        $engines.Add($second)
        $second.Url | Should -Not -Be $first.Url -Because 'a new engine gets a new port'
        $saved = Get-CassetteJob | Save-CassetteAudio -Path $folder -QueueUrl $second.Url -PassThru
        $saved.RequestId | Should -Be $requestId
        $saved.Duration | Should -Be 10
        (Get-CassetteJob).Status | Should -Be 'Completed'
    }

    It 'reports a request the engine was still running when it died, and RequestNotFound from the new engine' {
        $first = Start-TestEngine -ApiKey $key -ArgumentList @('--StorageFolder', $store, '--ProcessingSeconds', '60')
        $engines.Add($first)
        Use-TestEngine -Engine $first -JournalPath $journal
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddCommand('New-CassetteTrack').AddParameter('Prompt', 'lost with the engine').AddParameter('Duration', 10).AddParameter('MaxRetryCount', 1)
            $async = $ps.BeginInvoke()
            Wait-Until { @(Get-CassetteJob).Count -eq 1 } -Because 'the submission to reach the journal'
            $requestId = (Get-CassetteJob).RequestId
            Wait-Until { (Get-CassetteJob -RequestId $requestId).Status -eq 'InProgress' } -Because 'the request to start'
            $first.Process.Kill()
            $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $null = $ps.EndInvoke($async)
            $failure = $ps.Streams.Error | Select-Object -First 1
        }
        finally { $ps.Dispose() }

        $failure.FullyQualifiedErrorId | Should -Be 'ConnectionFailed,Cassette.Cmdlets.NewCassetteTrackCommand'
        $failure.TargetObject.RequestId | Should -Be $requestId

        $second = Start-TestEngine -ApiKey $key -ArgumentList @('--StorageFolder', $store)
        $engines.Add($second)
        $err = { Get-CassetteJob | Save-CassetteAudio -Path $folder -QueueUrl $second.Url -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'RequestNotFound,Cassette.Cmdlets.SaveCassetteAudioCommand'
        $err.TargetObject.RequestId | Should -Be $requestId
        (Get-CassetteJob).RequestId | Should -Be $requestId -Because 'the journal still names it'
        Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
    }
}
