# The module against fal's rough edges (issue 12; ../shared/docs/fal-queue-protocol.md, "Rough edges"), end to end:
# the engine behaves like fal by default (incremental stream logs, 422 from the result, locked accounts...), and fault
# rules add the rest (a runner that ignores a cancel, transient 500s, gateway pages, stale statuses, other WAV shapes).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # 0.05 s of server time per second of audio: a 10 s track takes half a second, an 80 s one four (a log line a second).
    # The real synthesizer (not Start-TestEngine -LoopedAudio): this file checks what the synthesizer renders and what is saved, byte for byte.
    $script:engine = Start-TestEngine -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '2', '--ProcessingSecondsPerAudioSecond', '0.05')
    $script:new = 'Cassette.Cmdlets.NewCassetteTrackCommand'
    $script:get = 'Cassette.Cmdlets.GetCassetteJobCommand'
    $script:save = 'Cassette.Cmdlets.SaveCassetteAudioCommand'
    $script:nginx = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'

    function New-WavBase64 {
        <# A one-second 8 kHz stereo WAV of silence in the given shape: format code, bits, and WAVE_FORMAT_EXTENSIBLE or not. #>
        param([int] $Format, [int] $Bits, [switch] $Extensible)
        $rate = 8000; $channels = 2; $block = $channels * $Bits / 8; $data = $rate * $block
        $stream = [System.IO.MemoryStream]::new()
        $w = [System.IO.BinaryWriter]::new($stream)
        $fmtSize = if ($Extensible) { 40 } else { 16 }
        $w.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $w.Write([uint32](4 + 8 + $fmtSize + 8 + $data)); $w.Write([Text.Encoding]::ASCII.GetBytes('WAVE'))
        $w.Write([Text.Encoding]::ASCII.GetBytes('fmt ')); $w.Write([uint32]$fmtSize)
        $w.Write([uint16]$(if ($Extensible) { 0xFFFE } else { $Format })); $w.Write([uint16]$channels); $w.Write([uint32]$rate)
        $w.Write([uint32]($rate * $block)); $w.Write([uint16]$block); $w.Write([uint16]$Bits)
        if ($Extensible) {
            $w.Write([uint16]22); $w.Write([uint16]$Bits); $w.Write([uint32]3)
            # KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the format code, then 0000-0010-8000-00AA00389B71.
            $w.Write([uint16]$Format); $w.Write([byte[]](0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71))
        }
        $w.Write([Text.Encoding]::ASCII.GetBytes('data')); $w.Write([uint32]$data); $w.Write([byte[]]::new($data))
        $w.Flush()
        [Convert]::ToBase64String($stream.ToArray())
    }

    function New-FinishedTrack([string] $Prompt = 'finished') {
        $submitted = New-CassetteTrack $Prompt 10 -NoWait
        Wait-Until { (Get-CassetteJob -RequestId $submitted.RequestId).Status -eq 'Completed' } -Because 'the request completes'
        $submitted
    }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Fidelity to fal' {
    BeforeEach { $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive }
    AfterEach {
        Clear-EngineFault $engine
        Get-ChildItem -LiteralPath $folder -Force -Filter '*.partial' | Should -BeNullOrEmpty -Because 'no half-written file is ever left'
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress', 'CancellationRequested' |
            Stop-CassetteJob -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        Clear-TestEnvironment
    }

    Context 'input limits come per model from one catalogue' {
        It 'asks for a <Duration> s sound effect, which the music generator''s range used to forbid' -ForEach @(@{ Duration = 1 }, @{ Duration = 5 }, @{ Duration = 30 }) {
            $track = New-CassetteTrack 'a door slams' $Duration -Model 'cassetteai/sound-effects-generator'
            $track.Duration | Should -Be $Duration
            $file = $track | Save-CassetteAudio -Path $folder -PassThru
            $file.Duration | Should -BeGreaterOrEqual ($Duration - 0.1)
        }

        It 'refuses <Duration> s for <Model> before anything is sent, naming the parameter and the range' -ForEach @(
            @{ Model = 'cassetteai/sound-effects-generator'; Duration = 31; Range = '1 to 30' }
            @{ Model = 'CassetteAI/music-generator'; Duration = 9; Range = '10 to 180' }
            @{ Model = 'CassetteAI/music-generator'; Duration = 181; Range = '10 to 180' }
        ) {
            $submits = Add-EngineCallCounter $engine 'submit'
            $run = Invoke-WithDeadline { New-CassetteTrack 'too long' $Duration -Model $Model } -Variables @{ Duration = $Duration; Model = $Model }
            $run.Error.FullyQualifiedErrorId | Should -Be "DurationOutOfRange,$new"
            $run.Error.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $run.Error.Exception.Message | Should -Match '-Duration'
            $run.Error.Exception.Message | Should -Match $Range
            Get-EngineFaultFired $engine $submits | Should -Be 0 -Because 'nothing was sent'
            Get-CassetteJob | Should -BeNullOrEmpty
        }

        It 'goes on with the other piped prompts when one duration is out of range' {
            $run = Invoke-WithDeadline {
                @([pscustomobject]@{ Prompt = 'fine'; Duration = 10 }, [pscustomobject]@{ Prompt = 'too short'; Duration = 5 }, [pscustomobject]@{ Prompt = 'also fine'; Duration = 12 }) |
                    New-CassetteTrack
            }
            @($run.Errors) | Should -HaveCount 1
            $run.Error.FullyQualifiedErrorId | Should -Be "DurationOutOfRange,$new"
            @($run.Output.Prompt | Sort-Object) | Should -Be @('also fine', 'fine')
        }

        It 'leaves a model it does not know to the server' {
            $submits = Add-EngineCallCounter $engine 'submit'
            $run = Invoke-WithDeadline { New-CassetteTrack 'anything' 500 -Model 'someone/other-model' }
            Get-EngineFaultFired $engine $submits | Should -Be 1 -Because 'the module has no range for that model, so the server decides'
            $run.Error.FullyQualifiedErrorId | Should -Be "ModelNotFound,$new"
        }
    }

    Context 'a cancel is recorded as Cancelled only when fal confirms it' {
        It 'records CancellationRequested when the runner ignores the cancel, and Save-CassetteAudio then saves the finished track' {
            $request = New-CassetteTrack 'stubborn runner' 80 -NoWait
            Wait-Until { (Get-CassetteJob -RequestId $request.RequestId).Status -eq 'InProgress' } -Because 'the request starts'
            $ignore = Add-EngineFault $engine @{ target = 'cancel'; requestId = $request.RequestId; kind = 'ignore-cancel' }
            $run = Invoke-WithDeadline { Stop-CassetteJob -RequestId $id -Confirm:$false } -Variables @{ id = $request.RequestId }
            $run.Errors | Should -BeNullOrEmpty
            Get-EngineFaultFired $engine $ignore | Should -Be 1
            $run.Verbose | Where-Object { $_ -match 'not confirmed' } | Should -Not -BeNullOrEmpty
            (Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId).Status | Should -Be 'CancellationRequested'
            (Get-CassetteJob -Status CancellationRequested).RequestId | Should -Be $request.RequestId

            # The entry is not refused as cancelled: the server is asked, and the runner finished after all.
            $saved = Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId | Save-CassetteAudio -Path $folder -PassThru
            $saved.RequestId | Should -Be $request.RequestId
            $saved.Duration | Should -BeGreaterOrEqual 79.9
            (Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId).Status | Should -Be 'Completed' -Because 'the later query settled it'
        }

        It 'records Cancelled when fal confirms the cancel' {
            $request = New-CassetteTrack 'obedient runner' 80 -NoWait
            Wait-Until { (Get-CassetteJob -RequestId $request.RequestId).Status -eq 'InProgress' } -Because 'the request starts'
            Stop-CassetteJob -RequestId $request.RequestId -Confirm:$false
            (Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId).Status | Should -Be 'Cancelled'
        }

        It 'leaves a -TimeoutSec cancel the runner ignored at CancellationRequested, and a later query settles it' {
            $ignore = Add-EngineFault $engine @{ target = 'cancel'; kind = 'ignore-cancel' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'no time' 180 -TimeoutSec 2 }
            $run.Error.FullyQualifiedErrorId | Should -Be "Timeout,$new"
            Get-EngineFaultFired $engine $ignore | Should -Be 1
            $entry = Get-CassetteJob
            $entry.Status | Should -Be 'CancellationRequested'
            Wait-Until { (Get-CassetteJob -RequestId $entry.RequestId).Status -eq 'Completed' } -Because 'the runner finishes'
            (Get-CassetteJob).Status | Should -Be 'Completed'
        }
    }

    Context 'status and result reads retry 500, as fal-js does' {
        It 'retries <Count> 500s on the status (fal-js: 5 retries) and reads the request' -ForEach @(@{ Count = 4 }) {
            $done = New-FinishedTrack
            $rule = Add-EngineFault $engine @{ target = 'status'; requestId = $done.RequestId; kind = 'http'; status = 500; errorType = 'internal_error'; count = $Count }
            $run = Invoke-WithDeadline { Get-CassetteJob -RequestId $id } -Variables @{ id = $done.RequestId }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0].Status | Should -Be 'Completed'
            Get-EngineFaultFired $engine $rule | Should -Be $Count
            $run.Verbose | Where-Object { $_ -match "500 .*retry $Count of 5" } | Should -Not -BeNullOrEmpty
        }

        It 'retries a 500 on the result and delivers' {
            $rule = Add-EngineFault $engine @{ target = 'result'; kind = 'http'; status = 500; count = 2 }
            $run = Invoke-WithDeadline { New-CassetteTrack 'through a 500' 10 }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0] | Should -BeOfType ([Cassette.CassetteTrack])
            Get-EngineFaultFired $engine $rule | Should -Be 2
        }

        It 'does not retry a 500 on the submission (it may have been queued)' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 500; count = 0 }
            $run = Invoke-WithDeadline { New-CassetteTrack 'once only' 10 }
            $run.Error.FullyQualifiedErrorId | Should -Be "ServerError,$new"
            Get-EngineFaultFired $engine $rule | Should -Be 1
        }
    }

    Context 'gateway trouble and a model''s final answer are told apart' {
        It 'retries a 502 from fal''s ingress (an nginx page) on the result' {
            $rule = Add-EngineFault $engine @{ target = 'result'; kind = 'http'; status = 502; body = $nginx; contentType = 'text/html'; count = 2 }
            $run = Invoke-WithDeadline { New-CassetteTrack 'through the gateway' 10 }
            $run.Errors | Should -BeNullOrEmpty
            Get-EngineFaultFired $engine $rule | Should -Be 2
        }

        It 'takes a bare 503 that carries the request id as the model''s own answer: not retried, recorded Failed' {
            $rule = Add-EngineFault $engine @{ target = 'result'; kind = 'http'; status = 503; detail = 'The model is overloaded.'; count = 0 }
            $run = Invoke-WithDeadline { New-CassetteTrack 'model says no' 10 }
            $run.Error.FullyQualifiedErrorId | Should -Be "GenerationFailed,$new"
            Get-EngineFaultFired $engine $rule | Should -Be 1 -Because 'the model''s answer stands'
            (Get-CassetteJob).Status | Should -Be 'Failed'
        }

        It 'never sends a submission again after an ambiguous 504 that named a request id' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 504; errorType = 'startup_timeout'; count = 1 }
            $later = Add-EngineCallCounter $engine 'submit'
            $run = Invoke-WithDeadline { New-CassetteTrack 'maybe queued' 10 -MaxRetryCount 5 }
            $run.Error.FullyQualifiedErrorId | Should -Be "SubmissionOutcomeUnknown,$new"
            $run.Error.Exception.Message | Should -Match 'not sent again'
            $run.Error.Exception.Message | Should -Match 'Get-CassetteJob -RequestId \S+'
            Get-EngineFaultFired $engine $rule | Should -Be 1
            Get-EngineFaultFired $engine $later | Should -Be 0 -Because 'a second submission could be paid for twice'
        }
    }

    Context 'a 422 from the result is the model refusing the input' {
        It 'reports the model''s field messages, honours X-Fal-Retryable, and records Failed' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'model-error'; field = 'prompt'; errorType = 'content_policy_violation'
                detail = 'The prompt was flagged.'; retryable = $true }
            $run = Invoke-WithDeadline { New-CassetteTrack 'flag me' 10 }
            Get-EngineFaultFired $engine $rule | Should -Be 1
            $run.Error.FullyQualifiedErrorId | Should -Be "ValidationFailed,$new"
            $run.Error.ErrorDetails.Message | Should -Match '-Prompt: The prompt was flagged\.'
            $run.Error.Exception.ErrorType | Should -Be 'content_policy_violation'
            $run.Error.Exception.Retryable | Should -BeTrue
            $entry = Get-CassetteJob
            $entry.Status | Should -Be 'Failed'
            $entry.Error | Should -Match '-Prompt: The prompt was flagged\..*may succeed'
            $entry.ErrorType | Should -Be 'content_policy_violation'
        }

        It 'Get-CassetteJob -RequestId reports it as Failed with the field messages and records it' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'model-error'; field = 'duration'; errorType = 'value_error'; detail = 'Too long for this prompt.' }
            $request = New-CassetteTrack 'refused later' 10 -NoWait
            Get-EngineFaultFired $engine $rule | Should -Be 1
            Wait-Until { (Get-CassetteJob -RequestId $request.RequestId).Status -ne 'InQueue' -and (Get-CassetteJob -RequestId $request.RequestId).Status -ne 'InProgress' } -Because 'the request completes'
            $seen = Get-CassetteJob -RequestId $request.RequestId
            $seen.Status | Should -Be 'Failed'
            $seen.Error | Should -Match '-Duration: Too long for this prompt\.'
            $seen.ErrorType | Should -Be 'value_error'
            (Get-CassetteJob | Where-Object RequestId -EQ $request.RequestId).Status | Should -Be 'Failed' -Because 'the journal records it'
        }
    }

    Context 'a locked account' {
        It 'gets AccountLocked, saying to top up the balance' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 403; count = 0
                detail = 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'no money' 10 -MaxRetryCount 5 }
            $run.Error.FullyQualifiedErrorId | Should -Be "AccountLocked,$new"
            $run.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $run.Error.Exception.Message | Should -Match 'top up'
            $run.Error.ErrorDetails.RecommendedAction | Should -Match 'Top up the balance'
            $run.Error.ErrorDetails.RecommendedAction | Should -Not -Match 'valid key'
            Get-EngineFaultFired $engine $rule | Should -Be 1
        }

        It 'keeps Unauthorized for a 403 that is not about the balance' {
            $rule = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 403; detail = 'Forbidden.' }
            $run = Invoke-WithDeadline { New-CassetteTrack 'not yours' 10 }
            $run.Error.FullyQualifiedErrorId | Should -Be "Unauthorized,$new"
        }
    }

    Context 'stream logs accumulate' {
        BeforeAll {
            # Four seconds of server time per request: a progress line each second the synthesizer leaves free.
            $script:slowEngine = Start-TestEngine -ArgumentList @('--EnableFaultInjection', 'true', '--ProcessingSeconds', '4')
        }
        AfterAll {
            Clear-EngineFault $slowEngine
            Stop-CassetteLocalEngine $slowEngine
        }
        BeforeEach { $script:journal, $script:folder = Enter-EngineTest -Engine $slowEngine -TestDrive $TestDrive }

        It 'writes every server log line to the Information stream exactly once, <Why>' -ForEach @(
            @{ Why = 'following the incremental stream'; Fault = $null }
            @{ Why = 'when the stream ends early and polling takes over'; Fault = @{ target = 'stream'; kind = 'truncate' } }
        ) {
            if ($Fault) { $null = Add-EngineFault $slowEngine $Fault }
            $run = Invoke-WithDeadline { New-CassetteTrack 'a long log' 10 }
            $run.Errors | Should -BeNullOrEmpty
            $requestId = $run.Output[0].RequestId
            $server = @((Get-CassetteJob -RequestId $requestId -IncludeLogs).Logs.Message)
            # The start and end lines always come in different events (IN_PROGRESS, then COMPLETED); progress lines come
            # between them when the synthesizer is faster than the four seconds, which a busy machine may not allow.
            $server.Count | Should -BeGreaterOrEqual 2 -Because 'the engine logs the start and the end of its work'
            $heard = @($run.Information | Where-Object { $_.Tags -contains 'ServerLog' } | ForEach-Object { $_.MessageData.Message })
            $heard | Should -Be $server
        }
    }

    Context 'WAV variants' {
        It 'saves <Name> and reports <Bits> bits of <SampleFormat>' -ForEach @(
            @{ Name = '16-bit PCM'; Format = 1; Bits = 16; Extensible = $false; SampleFormat = 'PCM' }
            @{ Name = '24-bit PCM'; Format = 1; Bits = 24; Extensible = $false; SampleFormat = 'PCM' }
            @{ Name = '32-bit PCM'; Format = 1; Bits = 32; Extensible = $false; SampleFormat = 'PCM' }
            @{ Name = '32-bit IEEE float (format 3)'; Format = 3; Bits = 32; Extensible = $false; SampleFormat = 'IEEE float' }
            @{ Name = 'WAVE_FORMAT_EXTENSIBLE 24-bit PCM'; Format = 1; Bits = 24; Extensible = $true; SampleFormat = 'PCM' }
            @{ Name = 'WAVE_FORMAT_EXTENSIBLE 32-bit float'; Format = 3; Bits = 32; Extensible = $true; SampleFormat = 'IEEE float' }
        ) {
            $track = New-CassetteTrack 'any shape' 10
            $body = New-WavBase64 -Format $Format -Bits $Bits -Extensible:$Extensible
            $rule = Add-EngineFault $engine @{ target = 'file'; requestId = $track.RequestId; kind = 'replace-body'; bodyBase64 = $body }
            $saved = $track.AudioUrl.AbsoluteUri | Save-CassetteAudio -Path (Join-Path $folder 'variant.wav') -PassThru
            Get-EngineFaultFired $engine $rule | Should -Be 1
            $saved.BitsPerSample | Should -Be $Bits
            $saved.SampleFormat | Should -Be $SampleFormat
            $saved.SampleRate | Should -Be 8000
            $saved.Channels | Should -Be 2
            $saved.Duration | Should -Be 1
        }

        It 'still refuses a WAV that is neither PCM nor float (ADPCM, format 2)' {
            $track = New-CassetteTrack 'wrong shape' 10
            $rule = Add-EngineFault $engine @{ target = 'file'; requestId = $track.RequestId; kind = 'replace-body'; bodyBase64 = (New-WavBase64 -Format 2 -Bits 16) }
            $run = Invoke-WithDeadline { $url | Save-CassetteAudio -Path $folder } -Variables @{ url = $track.AudioUrl.AbsoluteUri; folder = $folder }
            $run.Error.FullyQualifiedErrorId | Should -Be "InvalidAudio,$save"
            $run.Error.Exception.Message | Should -Match 'neither PCM nor IEEE float'
            Get-ChildItem -LiteralPath $folder -File | Should -BeNullOrEmpty
        }
    }

    Context 'the result endpoint decides the outcome' {
        It 'takes a 200 result over a stale error in the status' {
            $done = New-FinishedTrack 'stale status'
            $stale = @{ status = 'COMPLETED'; request_id = $done.RequestId; queue_position = $null; logs = @()
                error = 'Runner disconnected.'; error_type = 'runner_disconnected' } | ConvertTo-Json -Compress
            $rule = Add-EngineFault $engine @{ target = 'status'; requestId = $done.RequestId; kind = 'http'; status = 200; body = $stale; contentType = 'application/json' }
            $run = Invoke-WithDeadline { Get-CassetteJob -RequestId $id } -Variables @{ id = $done.RequestId }
            $run.Errors | Should -BeNullOrEmpty
            Get-EngineFaultFired $engine $rule | Should -Be 1
            $run.Output[0].Status | Should -Be 'Completed'
            $run.Output[0].Track | Should -Not -BeNullOrEmpty
            $run.Output[0].Error | Should -BeNullOrEmpty
            $run.Verbose | Where-Object { $_ -match 'the result wins' } | Should -Not -BeNullOrEmpty
        }
    }

    Context 'model ids with a namespace' {
        It 'builds <Model>''s status url on <AppPath>, as the official clients do' -ForEach @(
            @{ Model = 'workflows/fal-ai/my-flow/step'; AppPath = 'workflows/fal-ai/my-flow' }
            @{ Model = 'comfy/someone/graph'; AppPath = 'comfy/someone/graph' }
            @{ Model = 'someone/app/sub/path'; AppPath = 'someone/app' }
        ) {
            $bound = Start-LoopbackHttpListener
            $listener, $port = $bound.Listener, $bound.Port
            $ps = New-ModuleRunspace
            try {
                $null = $ps.AddCommand('Get-CassetteJob').AddParameter('RequestId', 'req-ns').AddParameter('Model', $Model).
                    AddParameter('QueueUrl', "http://127.0.0.1:$port/").AddParameter('MaxRetryCount', 0)
                $async = $ps.BeginInvoke()
                $pending = $listener.GetContextAsync()
                $pending.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the status call arrives'
                $context = $pending.Result
                $context.Request.Url.AbsolutePath | Should -Be "/$AppPath/requests/req-ns/status"
                $answer = [Text.Encoding]::UTF8.GetBytes('{"status":"IN_QUEUE","request_id":"req-ns","queue_position":0,"logs":null}')
                $context.Response.StatusCode = 202
                $context.Response.ContentType = 'application/json'
                $context.Response.OutputStream.Write($answer, 0, $answer.Length)
                $context.Response.Close()
                $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
                $result = $ps.EndInvoke($async)
                $result[0].Status | Should -Be 'InQueue'
                $result[0].Model | Should -Be $Model
            }
            finally {
                $ps.Dispose()
                $listener.Stop()
                $listener.Close()
            }
        }

        It 'refuses <Model>, a namespace without owner and app, before sending' -ForEach @(@{ Model = 'workflows/only-owner' }, @{ Model = 'comfy/x' }) {
            $err = { New-CassetteTrack 'x' 10 -Model $Model } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "InvalidModel,$new"
            $err.Exception.Message | Should -Match 'owner/app'
        }
    }
}
