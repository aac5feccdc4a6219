# Input that must get a clear error, never a hang or a crash: each case asserts its FullyQualifiedErrorId and runs in a
# runspace of its own under a deadline (Invoke-WithDeadline), so a wait without end fails the case instead of the suite.
#
# Cases already pinned elsewhere are not repeated here:
#   NewCassetteTrack.Tests.ps1, 'validation before any request': durations 9, 181, -1, 0, 'abc', 30.5, '12.5' and $null;
#     white-space prompts; a 100 KB prompt; -StartTimeoutSec 1; an ftp -WebhookUrl; a malformed CASSETTE_QUEUE_URL;
#     a malformed -Model; no key at all (ApiKeyMissing, saying how to set FAL_KEY); and, under 'server errors', a
#     rejected key, an unknown model and an unreachable queue.
#   SaveCassetteAudio.Tests.ps1: file:// and ftp:// urls, a file the host does not have, a missing folder, a path on
#     another provider, input it cannot save, an existing file without -Force.
#   Faults.Tests.ps1: every 4xx and 5xx a queue call may get, broken connections, stalls and short downloads.
BeforeDiscovery {
    # A WAV header that promises 1000 bytes of audio and carries 10, and one whose format is MP3 inside RIFF.
    function New-WavBytes([int] $Format, [int] $Announced, [int] $Carried) {
        $stream = [IO.MemoryStream]::new()
        $writer = [IO.BinaryWriter]::new($stream)
        $writer.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $writer.Write([int](36 + $Announced)); $writer.Write([Text.Encoding]::ASCII.GetBytes('WAVEfmt '))
        $writer.Write([int]16); $writer.Write([int16]$Format); $writer.Write([int16]2); $writer.Write([int]44100); $writer.Write([int]176400)
        $writer.Write([int16]4); $writer.Write([int16]16); $writer.Write([Text.Encoding]::ASCII.GetBytes('data')); $writer.Write([int]$Announced)
        $writer.Write([byte[]]::new($Carried)); $writer.Flush()
        [Convert]::ToBase64String($stream.ToArray())
    }
    $script:shortData = New-WavBytes -Format 1 -Announced 1000 -Carried 10
    $script:notPcm = New-WavBytes -Format 85 -Announced 16 -Carried 16
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests input validation, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true')
    Use-TestEngine -Engine $engine -JournalPath (Join-Path $TestDrive 'setup-journal.jsonl')
    # A completed request to ask about, and to download.
    $script:done = New-CassetteTrack 'a finished request' 10
    Clear-TestEnvironment
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Hostile input gets a clear error' {
    BeforeEach { $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive }
    AfterEach {
        Clear-EngineFault $engine
        Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '*.partial' | Should -BeNullOrEmpty
        Clear-TestEnvironment
    }

    Context 'parameters, refused before any request' {
        It '<Cmdlet>: <Name>' -ForEach @(
            @{ Cmdlet = 'New'; Name = 'an empty prompt'; Run = { New-CassetteTrack -Prompt '' -Duration 10 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a $null prompt'; Run = { New-CassetteTrack -Prompt $null -Duration 10 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a prompt one character too long'; Run = { New-CassetteTrack -Prompt ('x' * 10001) -Duration 10 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a duration of 1e10'; Run = { New-CassetteTrack -Prompt 'x' -Duration 1e10 }; Id = 'ParameterArgumentTransformationError' }
            @{ Cmdlet = 'New'; Name = 'an empty duration'; Run = { New-CassetteTrack -Prompt 'x' -Duration '' }; Id = 'ParameterArgumentTransformationError' }
            @{ Cmdlet = 'New'; Name = 'two durations'; Run = { New-CassetteTrack -Prompt 'x' -Duration @(10, 20) }; Id = 'ParameterArgumentTransformationError' }
            @{ Cmdlet = 'New'; Name = 'a NaN duration'; Run = { New-CassetteTrack -Prompt 'x' -Duration ([double]::NaN) }; Id = 'ParameterArgumentTransformationError' }
            @{ Cmdlet = 'New'; Name = 'an infinite duration'; Run = { New-CassetteTrack -Prompt 'x' -Duration ([double]::PositiveInfinity) }; Id = 'ParameterArgumentTransformationError' }
            @{ Cmdlet = 'New'; Name = 'the largest integer as duration'; Run = { New-CassetteTrack -Prompt 'x' -Duration ([int]::MaxValue) }; Id = 'DurationOutOfRange' }
            @{ Cmdlet = 'New'; Name = 'a queue address that is not a url'; Run = { New-CassetteTrack 'x' 10 -QueueUrl 'not a url' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'an ftp queue address'; Run = { New-CassetteTrack 'x' 10 -QueueUrl 'ftp://queue.example.com/' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a file queue address'; Run = { New-CassetteTrack 'x' 10 -QueueUrl 'file:///etc/passwd' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a queue address without a host'; Run = { New-CassetteTrack 'x' 10 -QueueUrl 'http://' }; Id = 'CannotConvertArgumentNoMessage' }
            @{ Cmdlet = 'New'; Name = 'a queue address without a scheme'; Run = { New-CassetteTrack 'x' 10 -QueueUrl 'localhost:8080' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a queue address with port 99999'; Run = { New-CassetteTrack 'x' 10 -QueueUrl 'https://queue.fal.run:99999/' }; Id = 'CannotConvertArgumentNoMessage' }
            @{ Cmdlet = 'New'; Name = 'an empty queue address'; Run = { New-CassetteTrack 'x' 10 -QueueUrl '' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a file:// CASSETTE_QUEUE_URL'; Run = { $env:CASSETTE_QUEUE_URL = 'file:///tmp/queue'; New-CassetteTrack 'x' 10 }; Id = 'InvalidQueueUrl' }
            @{ Cmdlet = 'New'; Name = '-MaxRetryCount 21'; Run = { New-CassetteTrack 'x' 10 -MaxRetryCount 21 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = '-MaxRetryCount -1'; Run = { New-CassetteTrack 'x' 10 -MaxRetryCount -1 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = '-ReadTimeoutSec 0'; Run = { New-CassetteTrack 'x' 10 -ReadTimeoutSec 0 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = '-TimeoutSec -1'; Run = { New-CassetteTrack 'x' 10 -TimeoutSec -1 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'an unknown priority'; Run = { New-CassetteTrack 'x' 10 -Priority urgent }; Id = 'CannotConvertArgumentNoMessage' }
            @{ Cmdlet = 'New'; Name = 'an empty key'; Run = { New-CassetteTrack 'x' 10 -ApiKey '' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a key that is a number'; Run = { New-CassetteTrack 'x' 10 -ApiKey 42 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'an empty SecureString key'; Run = { New-CassetteTrack 'x' 10 -ApiKey ([securestring]::new()) }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'an empty model'; Run = { New-CassetteTrack 'x' 10 -Model '' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a model without an owner'; Run = { New-CassetteTrack 'x' 10 -Model '/music-generator' }; Id = 'InvalidModel' }
            @{ Cmdlet = 'New'; Name = 'an empty journal path'; Run = { New-CassetteTrack 'x' 10 -JournalPath '' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'New'; Name = 'a webhook that is not a url'; Run = { New-CassetteTrack 'x' 10 -WebhookUrl 'not a url' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'Get'; Name = 'an empty request id'; Run = { Get-CassetteJob -RequestId '' }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'Get'; Name = '-First 0'; Run = { Get-CassetteJob -First 0 }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'Get'; Name = 'an unknown status'; Run = { Get-CassetteJob -Status Bogus }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'Get'; Name = 'no key at all'; Run = { Remove-Item Env:FAL_KEY; Get-CassetteJob -RequestId 'any' }; Id = 'ApiKeyMissing'; Says = 'FAL_KEY'; Category = 'AuthenticationError' }
            @{ Cmdlet = 'Stop'; Name = 'a $null request id'; Run = { Stop-CassetteJob -RequestId $null }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'Stop'; Name = 'no key at all'; Run = { Remove-Item Env:FAL_KEY; Stop-CassetteJob -RequestId 'any' }; Id = 'ApiKeyMissing'; Says = 'FAL_KEY'; Category = 'AuthenticationError' }
            @{ Cmdlet = 'Save'; Name = 'a $null input'; Run = { Save-CassetteAudio -InputObject $null }; Id = 'ParameterArgumentValidationError' }
            @{ Cmdlet = 'Save'; Name = 'a javascript: url'; Run = { 'javascript:alert(1)' | Save-CassetteAudio -Path $folder }; Id = 'UnsupportedUrlScheme' }
            @{ Cmdlet = 'Save'; Name = 'a url without a host'; Run = { 'http://' | Save-CassetteAudio -Path $folder }; Id = 'InvalidUrl' }
            @{ Cmdlet = 'Save'; Name = 'a wildcard path that matches two folders'; Run = { $null = New-Item -ItemType Directory (Join-Path $folder 'a1'), (Join-Path $folder 'a2'); $done | Save-CassetteAudio -Path (Join-Path $folder 'a*') }; Id = 'AmbiguousPath' }
            @{ Cmdlet = 'Save'; Name = 'a request to wait for, with no key'; Run = { Remove-Item Env:FAL_KEY; [pscustomobject]@{ RequestId = 'queued'; QueueUrl = $engine.Url; Status = 'InQueue' } | Save-CassetteAudio -Path $folder }; Id = 'ApiKeyMissing'; Says = 'FAL_KEY'; Category = 'AuthenticationError' }
            @{ Cmdlet = 'Save'; Name = 'a request that failed'; Run = { [Cassette.CassetteRequest]::new('req-failed', 'CassetteAI/music-generator', $engine.Url, 'Failed', $null, 'p', 10, $null, $null, [datetimeoffset]::Now, $null, 'boom', 'runner_server_error', $null, $null, $null, $null, $null) | Save-CassetteAudio -Path $folder }; Id = 'GenerationFailed' }
            @{ Cmdlet = 'Save'; Name = 'a request that was cancelled'; Run = { [Cassette.CassetteRequest]::new('req-cancelled', 'CassetteAI/music-generator', $engine.Url, 'Cancelled', $null, 'p', 10, $null, $null, [datetimeoffset]::Now, $null, $null, 'client_cancelled', $null, $null, $null, $null, $null) | Save-CassetteAudio -Path $folder }; Id = 'RequestCancelled' }
        ) {
            $cmdlets = @{ New = 'NewCassetteTrackCommand'; Get = 'GetCassetteJobCommand'; Stop = 'StopCassetteJobCommand'; Save = 'SaveCassetteAudioCommand' }
            $run = Invoke-WithDeadline $Run -Variables @{ folder = $folder; done = $done; engine = $engine }
            $run.Error.FullyQualifiedErrorId | Should -Be "$Id,Cassette.Cmdlets.$($cmdlets[$Cmdlet])"
            $run.Output | Should -BeNullOrEmpty
            if ($_.ContainsKey('Says')) { $run.Error.Exception.Message | Should -Match $Says }
            if ($_.ContainsKey('Category')) { $run.Error.CategoryInfo.Category | Should -Be $Category }
            Get-ChildItem -LiteralPath $folder -Recurse -File | Should -BeNullOrEmpty
            if (Test-Path -LiteralPath $journal) { Get-Content -LiteralPath $journal | Should -BeNullOrEmpty -Because 'nothing was submitted' }
        }
    }

    Context 'broken or hostile server replies' {
        It '<Name>' -ForEach @(
            @{ Name = 'a submission answered with invalid JSON'; Faults = @(@{ target = 'submit'; kind = 'invalid-json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New' }
            @{ Name = 'a submission answered {} (no request_id)'; Faults = @(@{ target = 'submit'; kind = 'http'; status = 200; body = '{}'; contentType = 'application/json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New' }
            @{ Name = 'a submission answered with a JSON array'; Faults = @(@{ target = 'submit'; kind = 'http'; status = 200; body = '[1,2]'; contentType = 'application/json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New' }
            @{ Name = 'a submission answered with an empty body'; Faults = @(@{ target = 'submit'; kind = 'http'; status = 200; body = ''; contentType = 'application/json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New' }
            @{ Name = 'a submission answered with an HTML page'; Faults = @(@{ target = 'submit'; kind = 'http'; status = 200; body = '<html><body>Welcome</body></html>'; contentType = 'text/html' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New' }
            @{ Name = 'a status that is invalid JSON'; Faults = @(@{ target = 'status'; kind = 'invalid-json' }); Run = { Get-CassetteJob -RequestId $done.RequestId }; Id = 'InvalidResponse'; Cmdlet = 'Get' }
            @{ Name = 'a status without a status field'; Faults = @(@{ target = 'status'; kind = 'http'; status = 200; body = '{"request_id":"x","queue_position":null}'; contentType = 'application/json' }); Run = { Get-CassetteJob -RequestId $done.RequestId }; Id = 'InvalidResponse'; Cmdlet = 'Get' }
            @{ Name = 'an unknown status'; Faults = @(@{ target = 'status'; kind = 'http'; status = 200; body = '{"status":"EXPLODED","request_id":"x"}'; contentType = 'application/json' }); Run = { Get-CassetteJob -RequestId $done.RequestId }; Id = 'InvalidResponse'; Cmdlet = 'Get' }
            @{ Name = 'a status in the wrong case'; Faults = @(@{ target = 'status'; kind = 'http'; status = 200; body = '{"status":"completed","request_id":"x"}'; contentType = 'application/json' }); Run = { Get-CassetteJob -RequestId $done.RequestId }; Id = 'InvalidResponse'; Cmdlet = 'Get' }
            @{ Name = 'a status that is a JSON string'; Faults = @(@{ target = 'status'; kind = 'http'; status = 200; body = '"COMPLETED"'; contentType = 'application/json' }); Run = { Get-CassetteJob -RequestId $done.RequestId }; Id = 'InvalidResponse'; Cmdlet = 'Get' }
            @{ Name = 'a wait whose every status is unknown ends instead of hanging'; Faults = @(@{ target = 'stream'; kind = 'http'; status = 500; count = 0 }, @{ target = 'status'; kind = 'http'; status = 200; body = '{"status":"PAUSED"}'; contentType = 'application/json'; count = 0 }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a wait on a request the queue has never heard of'; Faults = @(); Run = { Get-CassetteJob -RequestId 'no-such-request' -Wait }; Id = 'RequestNotFound'; Cmdlet = 'Get' }
            @{ Name = 'a result that is invalid JSON'; Faults = @(@{ target = 'result'; kind = 'invalid-json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result without audio_file'; Faults = @(@{ target = 'result'; kind = 'http'; status = 200; body = '{"audio":{}}'; contentType = 'application/json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result whose audio_file has no url'; Faults = @(@{ target = 'result'; kind = 'http'; status = 200; body = '{"audio_file":{"file_name":"a.wav"}}'; contentType = 'application/json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result whose audio_file is a string'; Faults = @(@{ target = 'result'; kind = 'http'; status = 200; body = '{"audio_file":"http://127.0.0.1/a.wav"}'; contentType = 'application/json' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result whose url is file:///etc/passwd'; Faults = @(@{ target = 'result'; kind = 'patch-result'; audioFile = @{ url = 'file:///etc/passwd' } }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result whose url is ftp'; Faults = @(@{ target = 'result'; kind = 'patch-result'; audioFile = @{ url = 'ftp://files.example.com/a.wav' } }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result whose url is javascript:'; Faults = @(@{ target = 'result'; kind = 'patch-result'; audioFile = @{ url = 'javascript:alert(1)' } }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result whose url is not a url'; Faults = @(@{ target = 'result'; kind = 'patch-result'; audioFile = @{ url = 'not a url' } }); Run = { New-CassetteTrack 'x' 10 }; Id = 'InvalidResponse'; Cmdlet = 'New'; Kept = $true }
            @{ Name = 'a result whose key was revoked (401)'; Faults = @(@{ target = 'result'; kind = 'http'; status = 401; detail = 'Invalid API key.' }); Run = { New-CassetteTrack 'x' 10 }; Id = 'Unauthorized'; Cmdlet = 'New'; Kept = $true; Says = 'FAL_KEY'; Category = 'AuthenticationError' }
            @{ Name = 'a result announcing a petabyte file'; Faults = @(@{ target = 'result'; kind = 'patch-result'; audioFile = @{ file_size = 1000000000000000 } }, @{ target = 'file'; kind = 'http'; status = 418; count = 0 }); Run = { New-CassetteTrack 'x' 10 | Save-CassetteAudio -Path $folder }; Id = 'AudioTooLarge'; Cmdlet = 'Save'; Kept = $true; Untouched = 'file' }
            @{ Name = 'a download announcing a terabyte'; Faults = @(@{ target = 'file'; kind = 'truncate'; contentLength = 1000000000000; bytes = 4096 }); Run = { $done | Save-CassetteAudio -Path $folder }; Id = 'AudioTooLarge'; Cmdlet = 'Save' }
            @{ Name = 'a download that is an HTML page'; Faults = @(@{ target = 'file'; kind = 'replace-body'; bodyText = '<html>not audio</html>' }); Run = { $done | Save-CassetteAudio -Path $folder }; Id = 'InvalidAudio'; Cmdlet = 'Save' }
            @{ Name = 'a download whose WAV header is cut at 16 bytes'; Faults = @(@{ target = 'file'; kind = 'replace-body'; bodyBase64 = 'UklGRiQAAABXQVZFZm10IA==' }); Run = { $done | Save-CassetteAudio -Path $folder }; Id = 'InvalidAudio'; Cmdlet = 'Save' }
            @{ Name = 'a download whose WAV promises more audio than it has'; Faults = @(@{ target = 'file'; kind = 'replace-body'; bodyBase64 = $shortData }); Run = { $done | Save-CassetteAudio -Path $folder }; Id = 'InvalidAudio'; Cmdlet = 'Save' }
            @{ Name = 'a download that is not PCM'; Faults = @(@{ target = 'file'; kind = 'replace-body'; bodyBase64 = $notPcm }); Run = { $done | Save-CassetteAudio -Path $folder }; Id = 'InvalidAudio'; Cmdlet = 'Save' }
            @{ Name = 'a download that is empty'; Faults = @(@{ target = 'file'; kind = 'replace-body'; bodyBase64 = '' }); Run = { $done | Save-CassetteAudio -Path $folder }; Id = 'InvalidAudio'; Cmdlet = 'Save' }
            @{ Name = 'a download the host refuses (403), not retried'; Faults = @(@{ target = 'file'; kind = 'http'; status = 403; count = 0 }); Run = { $done | Save-CassetteAudio -Path $folder -MaxRetryCount 5 }; Id = 'DownloadFailed'; Cmdlet = 'Save'; Fired = 1 }
        ) {
            $cmdlets = @{ New = 'NewCassetteTrackCommand'; Get = 'GetCassetteJobCommand'; Save = 'SaveCassetteAudioCommand' }
            $rules = @($Faults | ForEach-Object { Add-EngineFault $engine $_ })
            $run = Invoke-WithDeadline $Run -Variables @{ folder = $folder; done = $done; engine = $engine }
            $run.Error.FullyQualifiedErrorId | Should -Be "$Id,Cassette.Cmdlets.$($cmdlets[$Cmdlet])"
            if ($_.ContainsKey('Says')) { ($run.Error.Exception.Message + ' ' + $run.Error.ErrorDetails.RecommendedAction) | Should -Match $Says }
            if ($_.ContainsKey('Category')) { $run.Error.CategoryInfo.Category | Should -Be $Category }
            if ($_.ContainsKey('Kept')) {
                $requestId = $run.Error.TargetObject.RequestId
                $requestId | Should -Not -BeNullOrEmpty -Because 'a request that was paid for is reported with its id'
                (Get-CassetteJob).RequestId | Should -Contain $requestId
            }
            if ($_.ContainsKey('Fired')) { Get-EngineFaultFired $engine $rules[-1] | Should -Be $Fired }
            if ($_.ContainsKey('Untouched')) { Get-EngineFaultFired $engine $rules[-1] | Should -Be 0 -Because 'it was refused before any download' }
            Get-ChildItem -LiteralPath $folder -Recurse -File -Force | Should -BeNullOrEmpty -Because 'nothing broken is ever saved'
        }
    }

    Context 'hostile file names in a result are made harmless' {
        It 'a file_name of <FileName> becomes <Safe>, and the file is saved in the folder asked for' -ForEach @(
            @{ FileName = '../../evil.wav'; Safe = 'evil.wav' }
            @{ FileName = '..\..\evil.wav'; Safe = 'evil.wav' }
            @{ FileName = '/etc/cron.d/evil'; Safe = 'evil.wav' }
            @{ FileName = 'CON.wav'; Safe = 'audio-CON.wav' }
            @{ FileName = 'nul'; Safe = 'audio-nul.wav' }
            @{ FileName = '..'; Safe = 'audio.wav' }
        ) {
            $null = Add-EngineFault $engine @{ target = 'result'; kind = 'patch-result'; audioFile = @{ file_name = $FileName } }
            $run = Invoke-WithDeadline { $track = New-CassetteTrack 'named by the server' 10; $track; $track | Save-CassetteAudio -Path $folder -PassThru } -Variables @{ folder = $folder }
            $run.Errors | Should -BeNullOrEmpty
            ($run.Output | Where-Object { $_ -is [Cassette.CassetteTrack] }).FileName | Should -BeExactly $Safe
            $saved = $run.Output | Where-Object { $_ -is [Cassette.CassetteAudioFile] }
            Split-Path $saved.Path -Parent | Should -Be $folder
            Split-Path $saved.Path -Leaf | Should -BeLike 'named-by-the-server-*.wav' -Because 'the name comes from the prompt, never from the server' 
            Get-ChildItem -LiteralPath (Split-Path $folder -Parent) -Filter 'evil*' -Recurse | Should -BeNullOrEmpty
        }
    }
}
