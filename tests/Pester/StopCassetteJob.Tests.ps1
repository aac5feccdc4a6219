BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests cancels, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '1', '--ProcessingSeconds', '3')
    $script:id = 'StopCassetteJobCommand'
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Stop-CassetteJob' {
    BeforeEach {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        Use-TestEngine -Engine $engine -JournalPath $journal
    }
    AfterEach { Clear-TestEnvironment }

    It 'cancels a queued request from the pipeline and says so with -PassThru' {
        $running = New-CassetteTrack 'running' 10 -NoWait
        $queued = New-CassetteTrack 'queued' 10 -NoWait
        $after = $queued | Stop-CassetteJob -PassThru
        $after.RequestId | Should -Be $queued.RequestId
        $after.Status | Should -Be 'Cancelled'
        (Get-CassetteJob -RequestId $queued.RequestId).ErrorType | Should -Be 'client_cancelled'
        (Get-CassetteJob | Where-Object RequestId -EQ $queued.RequestId).Status | Should -Be 'Cancelled'
        $null = $running | Stop-CassetteJob
    }

    It 'cancels a running request by id' {
        $job = New-CassetteTrack 'running now' 10 -NoWait
        Wait-Until { (Get-CassetteJob -RequestId $job.RequestId).Status -eq 'InProgress' } -Because 'the request to start'
        Stop-CassetteJob -RequestId $job.RequestId
        Wait-Until { (Get-CassetteJob -RequestId $job.RequestId).Status -ne 'InProgress' } -Because 'the cancel to land'
        (Get-CassetteJob -RequestId $job.RequestId).Status | Should -Be 'Cancelled'
    }

    It 'warns, and changes nothing, for a request that already completed' {
        $track = New-CassetteTrack 'done' 10
        $track | Stop-CassetteJob -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'already completed'
        (Get-CassetteJob -RequestId $track.RequestId).Status | Should -Be 'Completed'
    }

    It 'reports an unknown request as RequestNotFound' {
        $err = { Stop-CassetteJob -RequestId 'nothing-here' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "RequestNotFound,Cassette.Cmdlets.$id"
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'cancels nothing with -WhatIf' {
        $job = New-CassetteTrack 'spared' 10 -NoWait
        $job | Stop-CassetteJob -WhatIf
        ($job | Get-CassetteJob -Wait).RequestId | Should -Be $job.RequestId
    }

    Context 'a cancel the queue does not answer' {
        BeforeAll {
            # One worker on which a request runs for minutes, so it is still there to cancel once the fault is gone.
            $script:slow = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '1', '--ProcessingSeconds', '600')
        }
        AfterAll {
            if ($script:slow) { Stop-CassetteLocalEngine $script:slow }
        }
        BeforeEach { Use-TestEngine -Engine $slow -JournalPath $journal }
        AfterEach {
            Clear-EngineFault $slow
            Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue
        }

        It 'gives up after -TimeoutSec with CancelTimedOut naming the request, records no cancel, and a second Stop cancels it' {
            $request = New-CassetteTrack 'unanswered cancel' 10 -NoWait
            # The queue holds every cancel of this request for ten minutes, and each attempt may wait an hour for its
            # answer: only -TimeoutSec can end the command before Invoke-WithDeadline calls it a hang.
            $hold = Add-EngineFault $slow @{ target = 'cancel'; requestId = $request.RequestId; kind = 'delay'; delayMs = 600000; count = 0 }
            $run = Invoke-WithDeadline { Stop-CassetteJob -RequestId $requestId -TimeoutSec 2 -ReadTimeoutSec 3600 } -Variables @{ requestId = $request.RequestId }

            Get-EngineFaultFired $slow $hold | Should -Be 1 -Because 'the cancel was sent once and never answered'
            $run.Errors | Should -HaveCount 1
            $run.Error.FullyQualifiedErrorId | Should -Be "CancelTimedOut,Cassette.Cmdlets.$id"
            $run.Error.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $run.Error.Exception.Message | Should -Match ([regex]::Escape($request.RequestId))
            $run.Error.Exception.Message | Should -Match 'may not have reached fal'
            $run.Error.ErrorDetails.RecommendedAction | Should -Match "Stop-CassetteJob -RequestId $([regex]::Escape($request.RequestId))"
            $run.Error.TargetObject.RequestId | Should -Be $request.RequestId
            (Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId).Status | Should -Be 'InQueue' -Because 'the journal keeps what it knew; nothing confirmed a cancel'

            Clear-EngineFault $slow
            (Stop-CassetteJob -RequestId $request.RequestId -PassThru).Status | Should -Be 'Cancelled'
            (Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId).Status | Should -Be 'Cancelled'
        }

        It 'ends at Ctrl+C while the queue holds the cancel, without waiting for -TimeoutSec, and records no cancel' {
            $request = New-CassetteTrack 'interrupted cancel' 10 -NoWait
            $hold = Add-EngineFault $slow @{ target = 'cancel'; requestId = $request.RequestId; kind = 'delay'; delayMs = 600000; count = 0 }
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddCommand('Import-Module').AddArgument((Get-TestModulePath)).Invoke()
                $shell.Commands.Clear()
                $null = $shell.AddCommand('Stop-CassetteJob').AddParameter('RequestId', $request.RequestId).AddParameter('TimeoutSec', 0).AddParameter('ReadTimeoutSec', 3600)
                $running = $shell.BeginInvoke()
                Wait-Until { (Get-EngineFaultFired $slow $hold) -ge 1 } -Because 'the cancel to reach the queue'
                $stopping = $shell.BeginStop($null, $null)
                # Only a hang reaches this deadline: without Ctrl+C the command would wait an hour for the answer.
                $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120)) | Should -BeTrue -Because 'Ctrl+C ends Stop-CassetteJob'
                $shell.EndStop($stopping)
                # EndInvoke wraps what the pipeline threw in a MethodInvocationException.
                $stopped = try { $null = $shell.EndInvoke($running) } catch { $_.Exception.GetBaseException() }
                $stopped | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
            }
            finally { $shell.Dispose() }
            (Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId).Status | Should -Be 'InQueue'
        }
    }
}
