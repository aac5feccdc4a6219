# The API key stays secret: it is in no stream, error record, output object, serialized form, journal or transcript,
# it reaches no host but the queue's (downloads carry no Authorization at all), and it never crosses the network over
# plain http unless the user says so (-AllowUnencryptedAuthentication, as with Invoke-RestMethod).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests where the key goes, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true')
    $script:key = $engine.ApiKey
    $script:keyPattern = [regex]::Escape($key)
    $script:new = 'Cassette.Cmdlets.NewCassetteTrackCommand'

    function Get-EveryText {
        <# Every form a user or a log could see a captured run in: streams, formatted and serialized objects, whole error records. #>
        param([Parameter(Mandatory)] $Run, [string] $ClixmlPath)
        $objects = @($Run.Output) + @($Run.Errors) + @($Run.Errors | ForEach-Object { $_.Exception; $_.Exception.InnerException; $_.ErrorDetails; $_.TargetObject })
        $objects = $objects | Where-Object { $null -ne $_ }
        $objects | Export-Clixml -LiteralPath $ClixmlPath -Depth 5
        @(
            $objects | Format-List * -Force | Out-String -Width 500
            $objects | ForEach-Object { $_ | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue }
            $Run.Errors | ForEach-Object { $_ | Get-Error | Out-String -Width 500 }
            $Run.Verbose; $Run.Warnings; $Run.Debug
            $Run.Information | ForEach-Object { $_.MessageData | Format-List * -Force | Out-String }
            Get-Content -LiteralPath $ClixmlPath -Raw
        ) -join "`n"
    }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'The API key' {
    BeforeEach { $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive }
    AfterEach {
        Clear-EngineFault $engine
        Clear-TestEnvironment
    }

    It 'appears in no stream, output, serialized object, error record or journal, through every cmdlet, retry and failure' {
        # Retries, resumes and failures write the most text: provoke each of them.
        $null = Add-EngineFault $engine @{ target = 'submit'; kind = 'http'; status = 429; retryAfter = 1 }
        $null = Add-EngineFault $engine @{ target = 'file'; kind = 'truncate'; bytes = 65536 }
        $refused = Get-RefusedLoopbackUrl
        $run = Invoke-WithDeadline {
            $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            $secure = ConvertTo-SecureString $env:FAL_KEY -AsPlainText -Force
            $plain = $env:FAL_KEY
            $track = New-CassetteTrack 'keep it secret' 10 -ApiKey $plain
            $track
            $track | Save-CassetteAudio -Path $folder -ApiKey $secure
            $job = New-CassetteTrack 'queued secret' 10 -NoWait -ApiKey $plain
            $job | Stop-CassetteJob -PassThru -ApiKey $plain -WarningAction Continue
            Get-CassetteJob -RequestId $track.RequestId -IncludeLogs -ApiKey $plain
            Get-CassetteJob -RequestId $track.RequestId -Wait
            Get-CassetteJob
            New-CassetteTrack 'x' 10 -Model 'someone/else' -ApiKey $plain
            New-CassetteTrack 'x' 10 -QueueUrl $refused -MaxRetryCount 1 -ApiKey $plain
            Get-CassetteJob -RequestId 'no-such-request' -ApiKey $secure
            New-CassetteTrack 'x' 10 -QueueUrl 'http://queue.example.com/' -ApiKey $plain
        } -Variables @{ folder = $folder; refused = $refused }

        $text = Get-EveryText -Run $run -ClixmlPath (Join-Path $TestDrive 'everything.clixml')
        # The capture did record the runs, their retries and their failures.
        $text | Should -Match 'keep it secret'
        $text | Should -Match 'retry 1 of 3'
        $text | Should -Match 'resuming at byte 65536'
        foreach ($id in 'ModelNotFound', 'ConnectionFailed', 'RequestNotFound', 'AllowUnencryptedAuthenticationRequired') { $text | Should -Match $id }
        $text | Should -Not -Match $keyPattern
        Get-Content -LiteralPath $journal -Raw | Should -Not -Match $keyPattern
        Get-ChildItem -LiteralPath $folder -Force | Get-Content -Raw -AsByteStream | ForEach-Object { [Text.Encoding]::ASCII.GetString($_) } |
            Should -Not -Match $keyPattern
    }

    It 'appears nowhere in a transcript of a session that used it' {
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $script = @"
Import-Module '$(Get-TestModulePath)'
`$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'; `$InformationPreference = 'Continue'
Start-Transcript -LiteralPath '$transcript'
`$track = New-CassetteTrack 'transcribed' 10 -ApiKey `$env:FAL_KEY
`$track | Format-List *
`$track | Save-CassetteAudio -Path '$folder'
Get-CassetteJob -RequestId `$track.RequestId -IncludeLogs | Format-List *
New-CassetteTrack 'x' 10 -Model 'someone/else'
Get-Error
Stop-Transcript
"@
        $pwsh = @(Get-PwshCommand)
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $console = Join-Path $TestDrive 'console.txt'
        $process = Start-Process -FilePath $pwsh[0] -PassThru -NoNewWindow -RedirectStandardOutput $console -RedirectStandardError "$console.err" `
            -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded))
        try { $process.WaitForExit(120000) | Should -BeTrue }
        finally { if (-not $process.HasExited) { $process.Kill() } }
        $recorded = Get-Content -LiteralPath $transcript -Raw
        $recorded | Should -Match 'transcribed'
        $recorded | Should -Match 'ModelNotFound'
        $recorded | Should -Match 'VERBOSE: Submitted request'
        $recorded | Should -Not -Match $keyPattern
        Get-Content -LiteralPath $console, "$console.err" -Raw | Should -Not -Match $keyPattern
    }

    It 'goes to no host but the queue: the download from another host carries no Authorization' {
        $bound = Start-LoopbackHttpListener
        $listener, $port = $bound.Listener, $bound.Port
        $ps = New-ModuleRunspace
        try {
            # The result points at a second listener on this machine, like fal's CDN.
            $wav = (New-CassetteTrack 'the real file' 10 | Save-CassetteAudio -Path $folder -PassThru).Path
            $null = Add-EngineFault $engine @{ target = 'result'; kind = 'patch-result'; audioFile = @{ url = "http://127.0.0.1:$port/cdn/track.wav"; file_size = (Get-Item $wav).Length } }
            $null = $ps.AddScript("New-CassetteTrack 'elsewhere' 10 | Save-CassetteAudio -LiteralPath '$(Join-Path $folder 'elsewhere.wav')' -PassThru")
            $async = $ps.BeginInvoke()
            $pending = $listener.GetContextAsync()
            $pending.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the download reaches the second host'
            $context = $pending.Result
            $seen = @($context.Request.Headers.AllKeys | ForEach-Object { "${_}: $($context.Request.Headers[$_])" }) + $context.Request.RawUrl
            $bytes = [IO.File]::ReadAllBytes($wav)
            $context.Response.ContentType = 'audio/wav'
            $context.Response.ContentLength64 = $bytes.Length
            $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $context.Response.Close()
            $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $saved = $ps.EndInvoke($async)
            $ps.Streams.Error | Should -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
            $listener.Stop()
        }
        $saved[0].Path | Should -Exist
        $seen | Should -Not -BeNullOrEmpty
        $seen | Where-Object { $_ -match '^Authorization:' } | Should -BeNullOrEmpty
        ($seen -join "`n") | Should -Not -Match $keyPattern
    }

    Context 'over plain http' {
        BeforeAll {
            # A non-loopback address of this machine: a listener there shows whether anything at all was sent.
            $script:address = Get-NonLoopbackAddress
        }
        BeforeEach {
            $script:listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, 0)
            $listener.Start()
            $script:remote = "http://$($address):$($listener.LocalEndpoint.Port)/"
        }
        AfterEach { $listener.Stop() }

        It '<Cmdlet> refuses to send the key to another machine without -AllowUnencryptedAuthentication, before any request' -Skip:(-not (Get-NonLoopbackAddress)) -ForEach @(
            @{ Cmdlet = 'New-CassetteTrack'; Run = { New-CassetteTrack 'x' 10 -QueueUrl $remote -MaxRetryCount 0 } }
            @{ Cmdlet = 'Get-CassetteJob'; Run = { Get-CassetteJob -RequestId 'req-1' -QueueUrl $remote -MaxRetryCount 0 } }
            @{ Cmdlet = 'Stop-CassetteJob'; Run = { Stop-CassetteJob -RequestId 'req-1' -QueueUrl $remote -MaxRetryCount 0 } }
            @{ Cmdlet = 'Save-CassetteAudio'; Run = { [pscustomobject]@{ RequestId = 'req-1'; QueueUrl = $remote; Status = 'InQueue' } | Save-CassetteAudio -Path $folder -MaxRetryCount 0 } }
        ) {
            $run = Invoke-WithDeadline $Run -Variables @{ remote = $remote; folder = $folder }
            $id = (Get-Command $Cmdlet).ImplementingType.FullName
            $run.Error.FullyQualifiedErrorId | Should -Be "AllowUnencryptedAuthenticationRequired,$id"
            $run.Error.CategoryInfo.Category | Should -Be 'SecurityError'
            $run.Error.Exception.Message | Should -Match '-AllowUnencryptedAuthentication'
            $listener.Pending() | Should -BeFalse -Because 'nothing was sent'
        }

        It 'sends it, in the Authorization header, when -AllowUnencryptedAuthentication is given' -Skip:(-not (Get-NonLoopbackAddress)) {
            $ps = New-ModuleRunspace
            try {
                $null = $ps.AddCommand('New-CassetteTrack').AddParameter('Prompt', 'x').AddParameter('Duration', 10).AddParameter('NoWait').
                    AddParameter('QueueUrl', $remote).AddParameter('MaxRetryCount', 0).AddParameter('AllowUnencryptedAuthentication')
                $async = $ps.BeginInvoke()
                Wait-Until { $listener.Pending() } -TimeoutSec 120 -Because 'the submission to arrive'
                $client = $listener.AcceptTcpClient()
                $reader = [IO.StreamReader]::new($client.GetStream())
                $lines = @(while (($line = $reader.ReadLine())) { $line })
                $client.Close()
                $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120)) | Should -BeTrue
                $ps.Streams.Error[0].FullyQualifiedErrorId | Should -Be "SubmissionOutcomeUnknown,$new" -Because 'the connection closed unanswered'
            }
            finally { $ps.Dispose() }
            $lines[0] | Should -Match '^POST /CassetteAI/music-generator'
            $lines | Should -Contain "Authorization: Key $key"
        }

        It 'sends it over plain http to this machine: <Name>' -ForEach @(@{ Name = '127.0.0.1' }, @{ Name = 'localhost' }) {
            $local = $engine.Url -replace '127\.0\.0\.1', $Name
            $job = New-CassetteTrack 'loopback' 10 -NoWait -QueueUrl $local
            $job.QueueUrl.Host | Should -Be $Name
            ($job | Get-CassetteJob -Wait -QueueUrl $local).RequestId | Should -Be $job.RequestId
        }
    }
}
