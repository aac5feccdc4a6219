# The fault matrix: every cmdlet, with -Verbose on, against each injected failure at each queue call it makes. Each call
# is either retried to success or stops with an id from the error catalogue that `catch [Cassette.CassetteException]`
# catches; UnexpectedError never appears; a cancel that met a transient failure still cancels.
# One engine for the file; every rule fires a counted number of times and, where the request is known, only for it.
BeforeDiscovery {
    # The calls each cmdlet makes when all goes well (a waiting cmdlet follows the status stream, so it asks for the
    # status only when the stream fails; Stop-CassetteJob -PassThru asks for it after the cancel).
    $script:calls = @(
        @{ Cmdlet = 'New -NoWait'; Calls = @('submit') }
        @{ Cmdlet = 'New waiting'; Calls = @('submit', 'stream', 'result') }
        @{ Cmdlet = 'New -AsJob'; Calls = @('submit', 'stream', 'result') }
        @{ Cmdlet = 'Get -RequestId'; Calls = @('status', 'result') }
        @{ Cmdlet = 'Get -Wait'; Calls = @('stream', 'result') }
        @{ Cmdlet = 'Stop'; Calls = @('cancel', 'status') }
        @{ Cmdlet = 'Save'; Calls = @('stream', 'result', 'file') }
    )
    $script:faults = @(
        @{ Fault = '503'; Transient = $true; Rule = @{ kind = 'http'; status = 503; errorType = 'runner_scheduling_failure' } }
        @{ Fault = '429 with Retry-After'; Transient = $true; Rule = @{ kind = 'http'; status = 429; retryAfter = 1 } }
        @{ Fault = 'reset on accept'; Transient = $true; Rule = @{ kind = 'reset' } }
        @{ Fault = '500'; Transient = $false; Rule = @{ kind = 'http'; status = 500; detail = 'Internal Server Error' } }
    )
    $script:cases = foreach ($cmdlet in $calls) {
        foreach ($call in $cmdlet.Calls) {
            foreach ($fault in $faults) {
                # A submission reset after it was sent may have been queued: it is never resent, so it stops (SubmissionOutcomeUnknown).
                $mustSucceed = $fault.Transient -and -not ($call -eq 'submit' -and $fault.Fault -eq 'reset on accept')
                @{ Cmdlet = $cmdlet.Cmdlet; Call = $call; Fault = $fault.Fault; Rule = $fault.Rule; MustSucceed = $mustSucceed }
            }
        }
    }
    $script:refused = $calls | ForEach-Object { @{ Cmdlet = $_.Cmdlet } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # 0.05 s of server time per second of audio: a 10 s track takes half a second; Stop's 180 s track runs long enough to be cancelled.
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests retries and error ids, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '4', '--ProcessingSecondsPerAudioSecond', '0.05')
    $script:catalogue = @([Cassette.CassetteErrors]::All.Id)

    # What each cmdlet runs. $request is a finished request as New-CassetteTrack -NoWait returned it (no track yet),
    # $closed a queue address nobody listens on.
    $script:commands = @{
        'New -NoWait'    = { New-CassetteTrack 'matrix' 10 -NoWait -MaxRetryCount $retries -QueueUrl $queue }
        'New waiting'    = { New-CassetteTrack 'matrix' 10 -MaxRetryCount $retries -QueueUrl $queue }
        'New -AsJob'     = {
            $job = New-CassetteTrack 'matrix' 10 -AsJob -MaxRetryCount $retries -QueueUrl $queue
            try { $job | Receive-Job -Wait -ErrorAction Stop } finally { $job | Remove-Job -Force }
        }
        'Get -RequestId' = { Get-CassetteJob -RequestId $request.RequestId -MaxRetryCount $retries -QueueUrl $queue }
        'Get -Wait'      = { Get-CassetteJob -RequestId $request.RequestId -Wait -MaxRetryCount $retries -QueueUrl $queue }
        'Stop'           = { Stop-CassetteJob -RequestId $request.RequestId -PassThru -MaxRetryCount $retries -QueueUrl $queue }
        'Save'           = { $request | Save-CassetteAudio -Path $folder -MaxRetryCount $retries -QueueUrl $queue -PassThru }
    }

    function Invoke-MatrixCase {
        <#
        Runs one cmdlet in a runspace of its own with -Verbose on (Invoke-WithDeadline). Whatever fails is caught as a
        Cassette.CassetteException and returned as { Caught = <the error record> }; anything else is left uncaught
        and so shows up in Errors.
        #>
        param([string] $Cmdlet, $Request, [string] $Queue, [int] $Retries = 3)
        $body = $commands[$Cmdlet].ToString()
        # Stop at the first error, so that a non-terminating one reaches the catch too.
        $script = "`$ErrorActionPreference = 'Stop'; try { $body } catch [Cassette.CassetteException] { [pscustomobject]@{ Caught = `$_ } }"
        Invoke-WithDeadline -ScriptBlock ([scriptblock]::Create($script)) -Variables @{
            request = $Request; queue = $Queue; retries = $Retries; folder = $folder
        }
    }

    function Assert-CataloguedOrSuccess {
        param($Run, [bool] $MustSucceed)
        $Run.Errors | Should -BeNullOrEmpty -Because 'every failure is a Cassette.CassetteException, caught by catch [Cassette.CassetteException]'
        $caught = @($Run.Output | Where-Object { $_.PSObject.Properties['Caught'] })
        foreach ($record in $caught.Caught) {
            $id = ($record.FullyQualifiedErrorId -split ',')[0]
            $id | Should -BeIn $catalogue -Because "$($record.FullyQualifiedErrorId) comes from the error catalogue"
            $id | Should -Not -Be 'UnexpectedError' -Because "$($record.Exception.Message)"
            $record.Exception | Should -BeOfType ([Cassette.CassetteException])
        }
        if ($MustSucceed) {
            $caught | Should -BeNullOrEmpty -Because 'a transient failure is retried to success'
            @($Run.Output).Count | Should -BeGreaterThan 0
        }
        $caught
    }

    function New-FinishedRequest {
        $submitted = New-CassetteTrack 'matrix, done' 10 -NoWait
        Wait-Until { (Get-CassetteJob -RequestId $submitted.RequestId).Status -eq 'Completed' } -Because 'the request completes'
        $submitted
    }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'The fault matrix' {
    BeforeEach { $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive }
    AfterEach {
        Clear-EngineFault $engine
        Get-ChildItem -LiteralPath $folder -Force -Filter '*.partial' | Should -BeNullOrEmpty -Because 'no half-written file is ever left'
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        Clear-TestEnvironment
    }

    It '<Cmdlet>: <Fault> on <Call>' -ForEach $cases {
        $request = if ($Cmdlet -eq 'Stop') { New-CassetteTrack 'matrix, long' 180 -NoWait }
        elseif ($Cmdlet -in 'Get -RequestId', 'Get -Wait', 'Save') { New-FinishedRequest }
        $rule = @{ target = $Call; count = 1 } + $Rule
        if ($request -and $Call -ne 'submit') { $rule.requestId = $request.RequestId }
        $added = Add-EngineFault $engine $rule

        $run = Invoke-MatrixCase -Cmdlet $Cmdlet -Request $request -Queue $engine.Url
        $caught = Assert-CataloguedOrSuccess -Run $run -MustSucceed $MustSucceed
        Get-EngineFaultFired $engine $added | Should -Be 1 -Because "the $Call call met the fault"
        if ($MustSucceed -and $Call -notin 'stream') {
            # The retry was reported in the Verbose stream, from the pipeline thread.
            $run.Verbose | Where-Object { $_ -match 'retry 1 of' -or $_ -match 'starting again|resuming' } | Should -Not -BeNullOrEmpty
        }
        if ($Cmdlet -eq 'Stop' -and $MustSucceed) {
            # The cancel went through despite the failure: the engine says so.
            Wait-Until { (Get-CassetteJob -RequestId $request.RequestId).Status -eq 'Cancelled' } -Because 'the engine confirms the cancel'
            Get-CassetteJob -Status Cancelled | Where-Object RequestId -EQ $request.RequestId | Should -Not -BeNullOrEmpty -Because 'the journal records it'
        }
        if ($Cmdlet -eq 'Save' -and -not $caught) { Get-ChildItem -LiteralPath $folder -Filter '*.wav' | Should -HaveCount 1 }
    }

    It '<Cmdlet>: a refused connection stops with ConnectionFailed' -ForEach $refused {
        $request = if ($Cmdlet -eq 'Stop') { New-CassetteTrack 'matrix, long' 180 -NoWait }
        elseif ($Cmdlet -in 'Get -RequestId', 'Get -Wait', 'Save') { New-FinishedRequest }
        $closed = Get-RefusedLoopbackUrl
        $run = Invoke-MatrixCase -Cmdlet $Cmdlet -Request $request -Queue $closed -Retries 1
        $caught = Assert-CataloguedOrSuccess -Run $run -MustSucceed $false
        $caught | Should -HaveCount 1
        $caught[0].Caught.FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $caught[0].Caught.Exception.InnerException | Should -Not -BeNullOrEmpty -Because 'the transport failure is kept inside'
        # A status read (Get -RequestId's first call) is retried at least fal-js's 5 times; every other call -MaxRetryCount times.
        $budget = if ($Cmdlet -eq 'Get -RequestId') { 5 } else { 1 }
        $run.Verbose | Where-Object { $_ -match "retry 1 of $budget\b" } | Should -Not -BeNullOrEmpty -Because 'the refused call was retried'
    }

    It 'Save: a refused connection to the file host stops with DownloadFailed' {
        $closed = Get-RefusedLoopbackUrl 'files/x/x.wav'
        $track = [Cassette.CassetteTrack]::new('req-refused', 'CassetteAI/music-generator', 'p', 10, $closed, $null, $null, $null, $null, $null, $engine.Url)
        $run = Invoke-MatrixCase -Cmdlet 'Save' -Request $track -Queue $engine.Url -Retries 1
        $caught = Assert-CataloguedOrSuccess -Run $run -MustSucceed $false
        $caught | Should -HaveCount 1
        $caught[0].Caught.FullyQualifiedErrorId | Should -BeLike 'DownloadFailed,*'
    }
}
