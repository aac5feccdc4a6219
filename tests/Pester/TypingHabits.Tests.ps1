# Issue 14: the cmdlets as PowerShell users type them. Each Context is one numbered item of the issue and starts from
# what a user types; every assertion on an error checks its FullyQualifiedErrorId.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Short tracks finish in about a second; a 180 s track takes about ten, long enough to time out or cancel.
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests parameter binding and the pipeline, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '4', '--ProcessingSeconds', '1', '--ProcessingSecondsPerAudioSecond', '0.05')
    $script:journal = Join-Path $TestDrive 'journal.jsonl'
    Use-TestEngine -Engine $engine -JournalPath $journal
    $script:track = New-CassetteTrack 'Typing habits: a short loop' 10

    function Invoke-ChildText {
        <# Runs a script in another pwsh with the module loaded and returns what it printed, What-if lines included. #>
        param([Parameter(Mandatory)] [string] $Script)
        $pwsh = @(Get-PwshCommand)
        $module = (Get-TestModulePath).Replace("'", "''")
        $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$module'; Set-Location -LiteralPath '$($TestDrive.Replace("'", "''"))'`n$Script"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($full))
        $text = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | Out-String
        [pscustomobject]@{ Text = $text; ExitCode = $LASTEXITCODE }
    }

    function Get-JournalCount { @(Get-CassetteJob).Count }
}

AfterAll {
    Get-Job | Remove-Job -Force -ErrorAction SilentlyContinue
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'The cmdlets as PowerShell users type them (issue 14)' {
    BeforeEach {
        Use-TestEngine -Engine $engine -JournalPath $journal
        $script:folder = New-TestFolder -Root $TestDrive
    }
    AfterEach {
        Assert-NoPartialFile $folder
    }

    Context '1: a positional argument after piped prompts' {
        It 'is the duration for piped objects, never the prompt' {
            $queued = [pscustomobject]@{ Prompt = 'Upbeat synthwave'; Duration = 10 } | New-CassetteTrack 30 -NoWait
            $queued.Prompt | Should -Be 'Upbeat synthwave'
            $queued.Duration | Should -Be 30
        }

        It 'is the duration for piped lines of text' {
            $queued = 'Lo-fi piano loop', 'Ambient drone' | New-CassetteTrack 12 -NoWait
            $queued.Prompt | Sort-Object | Should -Be 'Ambient drone', 'Lo-fi piano loop'
            $queued.Duration | Should -Be 12, 12
        }

        It 'is the duration in -WhatIf for Import-Csv rows' {
            Set-Content -LiteralPath (Join-Path $TestDrive 'tracks.csv') -Value "Prompt,Duration`nUpbeat synthwave,10"
            $run = Invoke-ChildText 'Import-Csv ./tracks.csv | New-CassetteTrack 30 -WhatIf'
            $run.ExitCode | Should -Be 0 -Because $run.Text
            $run.Text | Should -Match 'Generate 30 s of audio from "Upbeat synthwave"'
            $run.Text | Should -Not -Match 'from "30"'
        }

        It 'refuses -NoWait with -AsJob, -JobName or -TimeoutSec, which wait, before anything is submitted' {
            $before = Get-JournalCount
            foreach ($waiting in @{ AsJob = $true }, @{ JobName = 'nightly' }, @{ TimeoutSec = 30 }) {
                $err = { 'Never submitted' | New-CassetteTrack 10 -NoWait @waiting -ErrorAction Stop } | Should -Throw -PassThru
                $err.FullyQualifiedErrorId | Should -Be 'NoWaitConflict,Cassette.Cmdlets.NewCassetteTrackCommand'
            }
            Get-JournalCount | Should -Be $before
        }

        It 'still reads prompt then duration when nothing is piped' {
            $queued = New-CassetteTrack 'Two positional arguments' 11 -NoWait
            $queued.Prompt | Should -Be 'Two positional arguments'
            $queued.Duration | Should -Be 11
        }
    }

    Context '2: the destination is the first position of Save-CassetteAudio' {
        It 'saves into a folder given positionally, as Export-Csv and Out-File take their path' {
            $track | Save-CassetteAudio $folder -ErrorAction Stop
            @(Get-ChildItem -LiteralPath $folder -Filter *.wav).Count | Should -Be 1
        }
    }

    Context '3: a destination that cannot be written is found before anything is paid for' {
        It 'stops New-CassetteTrack before it submits when the folder does not exist' {
            $before = Get-JournalCount
            $missing = Join-Path $TestDrive 'no-such-folder/'
            $err = { New-CassetteTrack 'Never submitted' 10 | Save-CassetteAudio -Path $missing } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'DirectoryNotFound,Cassette.Cmdlets.SaveCassetteAudioCommand'
            $err.ErrorDetails.RecommendedAction | Should -Match 'New-Item -ItemType Directory'
            Get-JournalCount | Should -Be $before -Because 'nothing was submitted'
        }

        It 'names the paid request and the command that saves it when the folder vanished afterwards' {
            $target = Join-Path $folder 'vanishing/'
            $null = New-Item -ItemType Directory -Path $target
            $err = $null
            & { $made = New-CassetteTrack 'Folder removed meanwhile' 10; Remove-Item -LiteralPath $target; $made } |
                Save-CassetteAudio -Path $target -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'DirectoryNotFound,Cassette.Cmdlets.SaveCassetteAudioCommand'
            $id = $err[0].TargetObject.RequestId
            $id | Should -Not -BeNullOrEmpty
            $err[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Get-CassetteJob -RequestId $id -Wait | Save-CassetteAudio"))
        }
    }

    Context '4: errors that were UnexpectedError' {
        It 'reports RequestNotFound for an id the queue does not know' {
            $err = { Stop-CassetteJob -RequestId nope-123 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'RequestNotFound,Cassette.Cmdlets.StopCassetteJobCommand'
        }

        It 'reports DriveNotFound for a drive that does not exist, before anything is downloaded' {
            $err = { $track | Save-CassetteAudio -Path 'Q:/x.wav' -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'DriveNotFound,Cassette.Cmdlets.SaveCassetteAudioCommand'
            $err.Exception.Message | Should -Match "'Q'"
        }
    }

    Context '5: FileExists advice' {
        It 'recommends -Force or another path, not Get-CassetteJob' {
            $target = Join-Path $folder 'exists.wav'
            Set-Content -LiteralPath $target -Value 'precious'
            $err = { $track | Save-CassetteAudio -Path $target -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'FileExists,Cassette.Cmdlets.SaveCassetteAudioCommand'
            $err.ErrorDetails.RecommendedAction | Should -Match '-Force'
            $err.ErrorDetails.RecommendedAction | Should -Not -Match 'Get-CassetteJob'
            Get-Content -LiteralPath $target | Should -Be 'precious'
        }
    }

    Context '6: about_Cassette reads in order' {
        BeforeAll {
            $script:about = Get-Content -LiteralPath (Join-Path (Get-TestModulePath) 'en-US/about_Cassette.help.txt')
            $script:headings = @($about | Where-Object { $_ -cmatch '^[A-Z][A-Z ]+$' })
        }

        It 'has each heading once' {
            $headings | Group-Object | Where-Object Count -GT 1 | ForEach-Object Name | Should -BeNullOrEmpty
        }

        It 'refers only to headings that exist' {
            foreach ($reference in [regex]::Matches(($about -join "`n"), '\bsee ([A-Z][A-Z ]+[A-Z])\b')) {
                $headings | Should -Contain $reference.Groups[1].Value
            }
        }

        It 'lists every setting in one configuration table, under CONFIGURATION' {
            $start = [array]::IndexOf($about, 'CONFIGURATION')
            $header = $start + @($about[$start..($about.Count - 1)] | ForEach-Object { $_ -match '^\s+setting\s+parameter' }).IndexOf($true)
            $header | Should -BeGreaterThan $start
            $rows = $about[($header + 1)..($about.Count - 1)]
            $end = @($rows | ForEach-Object { $_ -match '^\s*$' }).IndexOf($true)   # the table ends at the first blank line
            $end | Should -BeGreaterThan 0
            $table = $rows[0..($end - 1)] -join "`n"
            foreach ($parameter in '-QueueUrl', '-ApiKey', '-JournalPath', '-MaxRetryCount', '-ReadTimeoutSec', '-AllowUnencryptedAuthentication') {
                $table | Should -Match ([regex]::Escape($parameter)) -Because "the table lists $parameter"
            }
        }
    }

    Context '7: a saved file is a path to PowerShell' {
        It 'prints as its path, so Get-Item takes it' {
            $saved = $track | Save-CassetteAudio -Path $folder -PassThru
            "$saved" | Should -Be $saved.Path
            (Get-Item $saved).FullName | Should -Be $saved.Path
        }
    }

    Context '8: messages carry the current status' {
        It 'a Timeout error targets the request as cancelled, not as still in the queue' {
            $err = { New-CassetteTrack 'Too long to wait for' 180 -TimeoutSec 2 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'Timeout,Cassette.Cmdlets.NewCassetteTrackCommand'
            $err.TargetObject.Status | Should -Be 'Cancelled'
            $err.TargetObject.Status | Should -Not -Be 'InQueue'
        }

        It 'stopping a cancelled request says it was cancelled, not completed' {
            $queued = New-CassetteTrack 'Cancelled twice' 180 -NoWait
            $queued | Stop-CassetteJob -Confirm:$false
            $warnings = $null
            $queued | Stop-CassetteJob -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
            ($warnings -join ' ') | Should -Match 'already cancelled'
            ($warnings -join ' ') | Should -Not -Match 'completed'
        }
    }

    Context '9: what Get-CassetteJob takes from the pipeline' {
        It 'refuses a file, without asking the queue' {
            $err = $null
            Get-Item -LiteralPath $folder | Get-CassetteJob -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ParameterArgumentTransformationError,Cassette.Cmdlets.GetCassetteJobCommand'
            $err[0].Exception.Message | Should -Match 'DirectoryInfo'
        }

        It 'refuses a PowerShell job, whose Id is not a request id' {
            $job = Start-ThreadJob { 1 }
            try {
                $err = $null
                $job | Get-CassetteJob -ErrorVariable err -ErrorAction SilentlyContinue
                $err | Should -HaveCount 1
                $err[0].FullyQualifiedErrorId | Should -Be 'ParameterArgumentTransformationError,Cassette.Cmdlets.GetCassetteJobCommand'
            }
            finally { $job | Remove-Job -Force }
        }

        It 'takes ids as text, Cassette objects and objects with a request_id' {
            $track.RequestId | Get-CassetteJob | ForEach-Object RequestId | Should -Be $track.RequestId
            $track | Get-CassetteJob | ForEach-Object RequestId | Should -Be $track.RequestId
            [pscustomobject]@{ request_id = $track.RequestId } | Get-CassetteJob | ForEach-Object RequestId | Should -Be $track.RequestId
        }
    }

    Context '10: Save-CassetteAudio writes output only with -PassThru' {
        It 'writes nothing by default and the saved file with -PassThru' {
            $track | Save-CassetteAudio -Path (Join-Path $folder 'quiet.wav') | Should -BeNullOrEmpty
            (Join-Path $folder 'quiet.wav') | Should -Exist
            $saved = $track | Save-CassetteAudio -Path (Join-Path $folder 'loud.wav') -PassThru
            $saved | Should -BeOfType ([Cassette.CassetteAudioFile])
            $saved.Path | Should -Be (Join-Path $folder 'loud.wav')
        }
    }

    Context '11: -Prompt and -RequestId take arrays' {
        It 'generates one track per prompt given to -Prompt' {
            $queued = New-CassetteTrack -Prompt 'First of two', 'Second of two' -Duration 10 -NoWait
            $queued | Should -HaveCount 2
            $queued.Prompt | Sort-Object | Should -Be 'First of two', 'Second of two'
            $script:pair = $queued.RequestId
        }

        It 'asks about and stops every id given to -RequestId' {
            $queued = New-CassetteTrack -Prompt 'Stop me one', 'Stop me two' -Duration 180 -NoWait
            (Get-CassetteJob -RequestId $queued.RequestId).RequestId | Sort-Object | Should -Be ($queued.RequestId | Sort-Object)
            $stopped = Stop-CassetteJob -RequestId $queued.RequestId -PassThru -Confirm:$false
            $stopped | Should -HaveCount 2
            $stopped.Status | Should -Be 'Cancelled', 'Cancelled'
        }
    }

    Context '12: New-CassetteTrack binds -Model by property name' {
        It 'takes a Model column' {
            $queued = [pscustomobject]@{ Prompt = 'Door slam'; Duration = 10; Model = 'CassetteAI/sound-effects-generator' } | New-CassetteTrack -NoWait
            $queued.Model | Should -Be 'CassetteAI/sound-effects-generator'
        }
    }

    Context '13: a CSV Duration of 10.0' {
        It 'is ten whole seconds' {
            Set-Content -LiteralPath (Join-Path $folder 'tracks.csv') -Value "Prompt,Duration`nDecimal duration,10.0"
            $queued = Import-Csv -LiteralPath (Join-Path $folder 'tracks.csv') | New-CassetteTrack -NoWait
            $queued.Duration | Should -Be 10
        }

        It 'while 10.5 is still refused, naming the parameter and its range' {
            $err = { [pscustomobject]@{ Prompt = 'Half a second'; Duration = '10.5' } | New-CassetteTrack -NoWait -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Match '^ParameterArgumentTransformationError,'
            $err.Exception.Message | Should -Match '-Duration must be a whole number of seconds from 1 to 180'
        }
    }

    Context '14: tab completion of -RequestId' {
        It 'offers the journal''s request ids, newest first, not file names' {
            $newest = (Get-CassetteJob -First 1).RequestId
            foreach ($command in 'Get-CassetteJob', 'Stop-CassetteJob') {
                $line = "$command -RequestId "
                $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
                $completions[0].CompletionText | Should -Be $newest
                $completions.ResultType | Should -Not -Contain 'ProviderItem'
                $completions.ResultType | Should -Not -Contain 'ProviderContainer'
            }
            $line = "Get-CassetteJob -RequestId $($track.RequestId.Substring(0, 6))"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $track.RequestId
        }

        It 'reads a -JournalPath given relative to the current location, or on a PowerShell drive, as the cmdlet does' {
            $name = "elsewhere-$([guid]::NewGuid().ToString('N')).jsonl"
            Copy-Item -LiteralPath $journal -Destination (Join-Path $folder $name)
            # Set-Location moves PowerShell's location, never the process folder a .NET path would be resolved against.
            Push-Location -LiteralPath $folder
            try {
                [Environment]::CurrentDirectory | Should -Not -Be $folder
                $line = "Get-CassetteJob -JournalPath $name -RequestId "
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $track.RequestId
            }
            finally { Pop-Location }
            $line = "Stop-CassetteJob -JournalPath 'TestDrive:/$(Split-Path $folder -Leaf)/$name' -RequestId "
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $track.RequestId
        }
    }

    Context '15: help shows defaults, syntax in order, and a real type for -ApiKey' {
        It 'shows the default of <Parameter>' -TestCases @(
            @{ Command = 'New-CassetteTrack'; Parameter = 'ThrottleLimit'; Default = '8' }
            @{ Command = 'New-CassetteTrack'; Parameter = 'MaxRetryCount'; Default = '3' }
            @{ Command = 'New-CassetteTrack'; Parameter = 'ReadTimeoutSec'; Default = '60' }
            @{ Command = 'New-CassetteTrack'; Parameter = 'Priority'; Default = 'Normal' }
            @{ Command = 'New-CassetteTrack'; Parameter = 'Model'; Default = 'CassetteAI/music-generator' }
        ) {
            (Get-Help $Command -Parameter $Parameter).defaultValue | Should -Be $Default
        }

        It 'lists the first syntax of New-CassetteTrack positional first, then as declared' {
            $names = @((Get-Help New-CassetteTrack).syntax.syntaxItem[0].parameter.name)
            $names[0..1] | Should -Be 'Prompt', 'Duration'
            $names.IndexOf('Model') | Should -BeLessThan $names.IndexOf('ThrottleLimit')
            $names.IndexOf('ThrottleLimit') | Should -BeLessThan $names.IndexOf('ApiKey')
            $names.IndexOf('ApiKey') | Should -BeLessThan $names.IndexOf('JournalPath')
        }

        It 'shows -ApiKey as a SecureString, not an Object' {
            $syntax = (Get-Help New-CassetteTrack).syntax.syntaxItem[0].parameter | Where-Object name -EQ 'ApiKey'
            $syntax.parameterValue | Should -Be 'SecureString'
            (Get-Help New-CassetteTrack | Out-String -Width 300) | Should -Not -Match '-ApiKey <Object>'
        }
    }

    Context '16: the ApiKeyMissing advice' {
        It 'works in Windows PowerShell 5.1, which has no Read-Host -MaskInput' {
            Remove-Item Env:FAL_KEY
            $err = { New-CassetteTrack 'No key' 10 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ApiKeyMissing,Cassette.Cmdlets.NewCassetteTrackCommand'
            $advice = "$($err.Exception.Message) $($err.ErrorDetails.Message) $($err.ErrorDetails.RecommendedAction)"
            $advice | Should -Not -Match 'MaskInput'
            $advice | Should -Match 'Read-Host -AsSecureString'
        }
    }

    Context '17: progress of a batch, and -WhatIf totals' {
        It 'shows an overall bar with the waiting prompts, and short per-track bars beneath it' {
            $ps = New-ModuleRunspace
            try {
                $null = $ps.AddScript('1..12 | ForEach-Object { "Batch prompt $_" } | New-CassetteTrack -Duration 10 -ThrottleLimit 4').Invoke()
                $ps.HadErrors | Should -BeFalse -Because ($ps.Streams.Error -join '; ')
                $records = @($ps.Streams.Progress)
            }
            finally { $ps.Dispose() }
            $overall = @($records | Where-Object { $_.ParentActivityId -eq -1 -and $_.Activity -match '12 tracks' })
            $overall | Should -Not -BeNullOrEmpty -Because 'a batch has one bar for the whole'
            ($overall.StatusDescription -join "`n") | Should -Match '\b8 waiting\b'
            $tracks = @($records | Where-Object { $_.RecordType -eq 'Processing' -and $_.ParentActivityId -ne -1 })
            $tracks | Should -Not -BeNullOrEmpty
            $tracks.ParentActivityId | Select-Object -Unique | Should -Be $overall[0].ActivityId
            foreach ($record in $tracks) {
                $text = "$($record.Activity) $($record.StatusDescription)"
                [regex]::Matches($text, '[0-9a-f]{8}-[0-9a-f]{4}-').Count | Should -BeLessOrEqual 1 -Because "the request id appears once at most: $text"
                $text.Length | Should -BeLessOrEqual 100 -Because "a bar fits a 130-column screen with room for the bar itself: $text"
            }
        }

        It '-WhatIf on a batch ends with the total' {
            Set-Content -LiteralPath (Join-Path $TestDrive 'prompts.txt') -Value 'One', 'Two', 'Three'
            $run = Invoke-ChildText 'Get-Content ./prompts.txt | New-CassetteTrack 30 -WhatIf'
            $run.ExitCode | Should -Be 0 -Because $run.Text
            $run.Text | Should -Match 'What if: .*3 tracks, 90 s of audio in total .*estimated cost \$0\.03'
        }
    }

    Context '18: Export-Csv of a request' {
        It 'writes the log lines as text, not a type name' {
            $path = Join-Path $folder 'requests.csv'
            Get-CassetteJob -RequestId $track.RequestId -IncludeLogs | Export-Csv -LiteralPath $path
            $row = Import-Csv -LiteralPath $path
            $row.Logs | Should -Not -BeNullOrEmpty
            $row.Logs | Should -Not -Match 'Cassette\.'
            $row.Track | Should -Be $track.RequestId
        }
    }

    Context '19: Save-CassetteAudio -WhatIf onto an existing file' {
        It 'says what it would do instead of failing, and leaves the file' {
            $target = Join-Path $folder 'exists.wav'
            Set-Content -LiteralPath $target -Value 'precious'
            $err = $null
            $track | Save-CassetteAudio -Path $target -WhatIf -ErrorVariable err
            $err | Should -BeNullOrEmpty
            Get-Content -LiteralPath $target | Should -Be 'precious'
        }
    }

    Context '20: pruning the journal' {
        It 'Clear-CassetteJournal removes finished entries submitted before a date, confirms, and keeps unfinished ones by default' {
            $own = Join-Path $folder 'own-journal.jsonl'
            $done = New-CassetteTrack 'Pruned soon' 10 -JournalPath $own
            $waiting = New-CassetteTrack 'Still waiting' 180 -NoWait -JournalPath $own
            try {
                (Get-Command Clear-CassetteJournal).Parameters.Keys | Should -Contain 'WhatIf'
                Clear-CassetteJournal -JournalPath $own -Before ([datetime]::Now.AddMinutes(1)) -WhatIf
                @(Get-CassetteJob -JournalPath $own).Count | Should -Be 2 -Because '-WhatIf removes nothing'

                $removed = Clear-CassetteJournal -JournalPath $own -Before ([datetime]::Now.AddMinutes(1)) -Confirm:$false -PassThru
                $removed.RequestId | Should -Be $done.RequestId
                (Get-CassetteJob -JournalPath $own).RequestId | Should -Be $waiting.RequestId

                Clear-CassetteJournal -JournalPath $own -Status InQueue, InProgress -Confirm:$false
                Get-CassetteJob -JournalPath $own | Should -BeNullOrEmpty
            }
            finally { Stop-CassetteJob -RequestId $waiting.RequestId -Confirm:$false -JournalPath $own -WarningAction SilentlyContinue -ErrorAction SilentlyContinue }
        }

        It 'keeps entries submitted after -Before' {
            $own = Join-Path $folder 'recent-journal.jsonl'
            $null = New-CassetteTrack 'Recent' 10 -JournalPath $own
            Clear-CassetteJournal -JournalPath $own -Before ([datetime]::Now.AddDays(-1)) -Confirm:$false
            @(Get-CassetteJob -JournalPath $own).Count | Should -Be 1
        }
    }

    Context '21: the engine prints its address as the README shows it' {
        It 'ends the address with /' {
            $line = Get-Content -LiteralPath $engine.LogPath | Where-Object { $_ -match 'listening on' } | Select-Object -First 1
            $line | Should -Match 'listening on http://127\.0\.0\.1:\d+/$'
        }
    }
}
