BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # One worker and 2 s of server time per request: long enough to see the queue, short enough for a suite.
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests submission, waiting and the returned object, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '1', '--ProcessingSeconds', '2')
    $script:id = 'NewCassetteTrackCommand'
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'New-CassetteTrack' {
    BeforeEach {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        Use-TestEngine -Engine $engine -JournalPath $journal
    }
    AfterEach { Clear-TestEnvironment }

    Context 'input' {
        It 'takes prompts from the pipeline and writes one track per prompt' {
            $tracks = 'warm analog pads', 'bright marimba loop' | New-CassetteTrack -Duration 10
            $tracks | Should -HaveCount 2
            # Piped prompts run at once and come out as they complete (AsJob.Tests pins the order rules).
            $tracks.Prompt | Sort-Object | Should -Be @('bright marimba loop', 'warm analog pads')
            $tracks.RequestId | Select-Object -Unique | Should -HaveCount 2
        }

        It 'binds Prompt and Duration by property name from Import-Csv' {
            $csv = Join-Path $TestDrive 'prompts.csv'
            "Prompt,Duration`n""jazz trio, brushed drums"",11`nambient drone,12" | Set-Content -LiteralPath $csv
            $tracks = Import-Csv -LiteralPath $csv | New-CassetteTrack | Sort-Object Duration
            $tracks.Prompt | Should -Be @('jazz trio, brushed drums', 'ambient drone')
            $tracks.Duration | Should -Be @(11, 12)
        }

        It 'uses the parameters over the environment, and takes the key as a SecureString' {
            Clear-TestEnvironment
            $env:CASSETTE_QUEUE_URL = 'http://127.0.0.1:9/'
            $env:CASSETTE_JOURNAL_PATH = $journal
            $secure = ConvertTo-SecureString $engine.ApiKey -AsPlainText -Force
            $track = New-CassetteTrack 'secure key' 10 -QueueUrl $engine.Url -ApiKey $secure
            $track.QueueUrl.AbsoluteUri | Should -Be $engine.Url
        }

        It 'builds the key from FAL_KEY_ID and FAL_KEY_SECRET when FAL_KEY is not set' {
            Remove-Item Env:FAL_KEY
            $keyed = Start-TestEngine -LoopedAudio -ApiKey 'key-id:key-secret'
            $keyed.ApiKey | Should -Be 'key-id:key-secret'
            try {
                $env:FAL_KEY_ID = 'key-id'
                $env:FAL_KEY_SECRET = 'key-secret'
                (New-CassetteTrack 'split key' 10 -QueueUrl $keyed.Url).RequestId | Should -Not -BeNullOrEmpty
            }
            finally { Stop-CassetteLocalEngine $keyed }
        }
    }

    Context 'validation before any request' {
        It 'rejects duration <Duration> for the music generator, naming the parameter and its range' -TestCases @(
            @{ Duration = 9 }, @{ Duration = 181 }
        ) {
            # The range is the model's (ModelCatalogue), checked once -Model is known; more in Fidelity.Tests.ps1.
            $err = { New-CassetteTrack -Prompt 'x' -Duration $Duration -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "DurationOutOfRange,Cassette.Cmdlets.$id"
            $err.Exception.Message | Should -Match 'Duration'
            $err.Exception.Message | Should -Match '10 to 180'
            Get-CassetteJob | Should -BeNullOrEmpty -Because 'nothing was submitted'
        }

        It 'rejects duration <Duration> for any model while binding' -TestCases @(@{ Duration = -1 }, @{ Duration = 0 }) {
            $err = { New-CassetteTrack -Prompt 'x' -Duration $Duration } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,Cassette.Cmdlets.$id"
            $err.Exception.Message | Should -Match '-Duration must be a whole number of seconds, at least 1'
            $err.Exception.Message | Should -Match '10 to 180'
            Get-CassetteJob | Should -BeNullOrEmpty -Because 'nothing was submitted'
        }

        It 'rejects a duration that is not a whole number: <Value>' -TestCases @(@{ Value = 'abc' }, @{ Value = 30.5 }, @{ Value = '12.5' }) {
            $err = { New-CassetteTrack -Prompt 'x' -Duration $Value } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,Cassette.Cmdlets.$id"
            $err.Exception.Message | Should -Match '-Duration must be a whole number of seconds from 1 to 180'
        }

        It 'rejects a $null duration' {
            $err = { New-CassetteTrack -Prompt 'x' -Duration $null } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,Cassette.Cmdlets.$id"
        }

        It 'accepts a whole duration however it is written: <Value>' -TestCases @(@{ Value = '12' }, @{ Value = 12.0 }) {
            (New-CassetteTrack -Prompt 'typed loosely' -Duration $Value).Duration | Should -Be 12
        }

        It 'rejects an empty or white-space prompt' -TestCases @(@{ Prompt = '   ' }, @{ Prompt = "`t`n" }) {
            $err = { New-CassetteTrack -Prompt $Prompt -Duration 10 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,Cassette.Cmdlets.$id"
            $err.Exception.Message | Should -Match 'Prompt'
        }

        It 'rejects a 100 KB prompt with its length' {
            $err = { New-CassetteTrack -Prompt ('a' * 102400) -Duration 10 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,Cassette.Cmdlets.$id"
            $err.Exception.Message | Should -Match '10000'
        }

        It 'rejects -StartTimeoutSec 1 (fal needs more than one second)' {
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 -StartTimeoutSec 1 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,Cassette.Cmdlets.$id"
        }

        It 'rejects a webhook that is not an http(s) url' {
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 -WebhookUrl 'ftp://example.com/hook' } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,Cassette.Cmdlets.$id"
        }

        It 'rejects a malformed queue address from the environment with InvalidQueueUrl' {
            $env:CASSETTE_QUEUE_URL = 'not a url'
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "InvalidQueueUrl,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'rejects a malformed model id with InvalidModel' {
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 -Model 'music-generator' } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "InvalidModel,Cassette.Cmdlets.$id"
        }

        It 'stops with ApiKeyMissing, saying how to set FAL_KEY, when there is no key at all' {
            Remove-Item Env:FAL_KEY
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ApiKeyMissing,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err.Exception.Message | Should -Match 'FAL_KEY'
        }
    }

    Context 'server errors' {
        It 'reports a rejected key as Unauthorized (AuthenticationError) without echoing the key' {
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 -ApiKey 'wrong-key-1234' -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "Unauthorized,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err.Exception | Should -BeOfType ([Cassette.FalApiException])
            ($err | Out-String) + $err.ErrorDetails.RecommendedAction | Should -Not -Match 'wrong-key-1234'
            $err.TargetObject | Should -Be 'x'
        }

        It 'reports an unknown model as ModelNotFound' {
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 -Model 'someone/else' -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ModelNotFound,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'reports an unreachable queue as ConnectionFailed, with the transport error kept inside' {
            $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $err = { New-CassetteTrack -Prompt 'x' -Duration 10 -QueueUrl "http://127.0.0.1:$port/" -MaxRetryCount 0 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "ConnectionFailed,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'ConnectionError'
            $err.Exception.InnerException | Should -Not -BeNullOrEmpty
        }

        It 'writes one non-terminating error per failing prompt and goes on with the rest' {
            $results = 'first', 'second' | New-CassetteTrack -Duration 10 -Model 'someone/else' -ErrorAction SilentlyContinue -ErrorVariable failures
            $results | Should -BeNullOrEmpty
            $failures | Should -HaveCount 2
            $failures.TargetObject | Sort-Object | Should -Be @('first', 'second')
        }
    }

    Context 'waiting' {
        It 'shows the queue position, then elapsed time, and completes the progress bar' {
            $blockers = 1..2 | ForEach-Object { New-CassetteTrack "blocker $_" 10 -NoWait }
            $ps = New-ModuleRunspace
            try {
                $null = $ps.AddCommand('New-CassetteTrack').AddParameter('Prompt', 'behind two').AddParameter('Duration', 10)
                $track = $ps.Invoke()
                $track[0].Prompt | Should -Be 'behind two'
                $descriptions = $ps.Streams.Progress | Where-Object RecordType -EQ 'Processing' | ForEach-Object StatusDescription
                $descriptions | Where-Object { $_ -match '^In the queue: 1 request ahead' } | Should -Not -BeNullOrEmpty
                $descriptions | Where-Object { $_ -match '^Generating, \d+:\d\d elapsed' } | Should -Not -BeNullOrEmpty
                $queued = [array]::IndexOf(@($descriptions), ($descriptions | Where-Object { $_ -match '^In the queue' } | Select-Object -First 1))
                $running = [array]::IndexOf(@($descriptions), ($descriptions | Where-Object { $_ -match '^Generating' } | Select-Object -First 1))
                $queued | Should -BeLessThan $running
                $ps.Streams.Progress[-1].RecordType | Should -Be 'Completed'
            }
            finally { $ps.Dispose() }
            $blockers | Get-CassetteJob -Wait | Should -HaveCount 2
        }

        It 'writes the server log to the Information stream, tagged ServerLog' {
            $null = New-CassetteTrack 'logged' 10 -InformationVariable info
            $logs = $info | Where-Object Tags -Contains 'ServerLog'
            $logs.MessageData.Message | Should -Contain 'Generating 10 s of audio.'
            $logs[0].MessageData | Should -BeOfType ([Cassette.CassetteLogEntry])
        }

        It 'says in Verbose what it submitted and how it waited' {
            $null = New-CassetteTrack 'verbose' 10 -Verbose 4>&1 | Tee-Object -Variable all
            $verbose = $all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            $verbose | Where-Object { $_ -match '^Submitted request \S+' } | Should -Not -BeNullOrEmpty
            $verbose | Where-Object { $_ -match 'polling instead' } | Should -BeNullOrEmpty -Because 'the status stream works'
        }

        It 'returns the queued request at once with -NoWait, recorded in the journal' {
            $job = New-CassetteTrack 'no wait' 10 -NoWait
            $job | Should -BeOfType ([Cassette.CassetteRequest])
            $job.Status | Should -Be 'InQueue'
            $job.EstimatedCost | Should -Be 0.0033
            (Get-CassetteJob -First 1).RequestId | Should -Be $job.RequestId
            ($job | Get-CassetteJob -Wait).RequestId | Should -Be $job.RequestId
        }

        It 'cancels the remote request when -TimeoutSec passes, and reports Timeout with the request' {
            $err = { New-CassetteTrack 'too slow' 10 -TimeoutSec 1 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "Timeout,Cassette.Cmdlets.$id"
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.TargetObject | Should -BeOfType ([Cassette.CassetteRequest])
            $requestId = $err.TargetObject.RequestId
            $server = Get-CassetteJob -RequestId $requestId
            $server.Status | Should -Be 'Cancelled'
            $server.ErrorType | Should -Be 'client_cancelled'
            (Get-CassetteJob | Where-Object RequestId -EQ $requestId).Status | Should -Be 'Cancelled'
        }
    }

    Context 'the key' {
        It 'appears in no stream, output, serialized object, error or journal' {
            $key = $engine.ApiKey
            $everything = & {
                $track = New-CassetteTrack 'keep it secret' 10 -Verbose -Debug -InformationAction Continue
                $track
                $track | ConvertTo-Json -Depth 5
                $track | Save-CassetteAudio -Path $TestDrive -Force -Verbose
                New-CassetteTrack 'x' 10 -Model 'someone/else' -Verbose -ErrorAction Continue
                Get-CassetteJob -RequestId $track.RequestId -IncludeLogs -Verbose | Format-List | Out-String
            } *>&1 | Out-String
            $everything | Should -Match 'keep it secret' -Because 'the capture did record the command'
            $everything | Should -Not -Match ([regex]::Escape($key))
            Get-Content -LiteralPath $journal -Raw | Should -Not -Match ([regex]::Escape($key))
        }
    }

    Context 'cost and confirmation' {
        It '-WhatIf states what would be generated and its estimated cost, and submits nothing' {
            # What-if lines go to the host, so a child pwsh shows them as a user would see them.
            $pwsh = @(Get-PwshCommand)
            $script = "Import-Module '$(Get-TestModulePath)'; New-CassetteTrack 'ninety seconds of rain' 90 -WhatIf"
            $text = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script | Out-String
            $LASTEXITCODE | Should -Be 0
            $text | Should -Match 'What if: Generate 90 s of audio from "ninety seconds of rain" with CassetteAI/music-generator'
            $text | Should -Match 'estimated cost \$0\.03'
            Get-CassetteJob | Should -BeNullOrEmpty -Because 'nothing was submitted'
        }

        It 'puts the estimate on the output (two cents per output minute)' {
            (New-CassetteTrack 'cost' 30).EstimatedCost | Should -Be 0.01
        }
    }
}
