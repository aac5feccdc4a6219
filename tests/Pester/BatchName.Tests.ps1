# New-CassetteTrack -BatchName: an item the journal already holds for the batch is never paid for again.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'RunbookHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests batch names in the journal and on files, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '2', '--ProcessingSeconds', '1')
    function Get-Submitted { (Get-EngineCallCount -Engine $engine).submit }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'New-CassetteTrack -BatchName' {
    BeforeEach {
        $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive
        $script:batch = 'batch-' + [guid]::NewGuid().ToString('N')
    }
    AfterEach {
        Clear-EngineFault -Engine $engine
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue
        Clear-TestEnvironment
    }

    It 'returns completed items from the journal, without submitting, saying they were reused' {
        $first = @('same', 'same', 'other' | New-CassetteTrack -Duration 10 -BatchName $batch)
        $first.Count | Should -Be 3
        $first.Reused | Should -Be @($false, $false, $false)
        $submitted = Get-Submitted

        $second = @('same', 'same', 'other' | New-CassetteTrack -Duration 10 -BatchName $batch)
        Get-Submitted | Should -Be $submitted -Because 'every item was already completed'
        $second.Count | Should -Be 3
        $second.Reused | Should -Be @($true, $true, $true)
        $second.BatchName | Sort-Object -Unique | Should -Be $batch
        # Both identical prompts are items of their own: the two requests come back, each once.
        @($second.RequestId | Sort-Object) | Should -Be @($first.RequestId | Sort-Object)
        foreach ($track in $second) {
            $original = $first | Where-Object RequestId -EQ $track.RequestId
            $track.AudioUrl | Should -Be $original.AudioUrl
            $track.FileSize | Should -Be $original.FileSize -Because 'the result is read again while the queue keeps it'
        }
        @(Get-CassetteJob).Count | Should -Be 3 -Because 'the journal holds no new submission'
    }

    It 'submits a third identical prompt as a new item, and a different duration or model as another item' {
        $null = 'same', 'same' | New-CassetteTrack -Duration 10 -BatchName $batch
        $submitted = Get-Submitted
        $again = @('same', 'same', 'same' | New-CassetteTrack -Duration 10 -BatchName $batch)
        $again.Reused | Sort-Object | Should -Be @($false, $true, $true)
        $longer = New-CassetteTrack 'same' 11 -BatchName $batch
        $longer.Reused | Should -BeFalse
        Get-Submitted | Should -Be ($submitted + 2)
    }

    It 'waits for an item still in flight instead of submitting it again' {
        $queued = New-CassetteTrack 'in flight' 10 -BatchName $batch -NoWait
        $submitted = Get-Submitted
        $track = New-CassetteTrack 'in flight' 10 -BatchName $batch
        $track.RequestId | Should -Be $queued.RequestId
        $track.Reused | Should -BeTrue
        Get-Submitted | Should -Be $submitted
        (Get-CassetteJob -RequestId $queued.RequestId).Status | Should -Be 'Completed'
    }

    It 'submits a cancelled item again' {
        $queued = New-CassetteTrack 'cancelled' 10 -BatchName $batch -NoWait
        $queued | Stop-CassetteJob
        Wait-Until { (Get-CassetteJob -RequestId $queued.RequestId).Status -eq 'Cancelled' } -Because 'the cancel to be journaled'
        $submitted = Get-Submitted
        $track = New-CassetteTrack 'cancelled' 10 -BatchName $batch
        $track.RequestId | Should -Not -Be $queued.RequestId
        $track.Reused | Should -BeFalse
        Get-Submitted | Should -Be ($submitted + 1)
        # The next run reuses the new request, not the cancelled one.
        (New-CassetteTrack 'cancelled' 10 -BatchName $batch).RequestId | Should -Be $track.RequestId
    }

    It 'uses the recorded file url once the queue no longer keeps the result' {
        $original = New-CassetteTrack 'kept file' 10 -BatchName $batch
        $null = Add-EngineFault -Engine $engine -Rule @{ target = 'result'; requestId = $original.RequestId; kind = 'http'; status = 404; detail = 'Request not found' }
        $track = New-CassetteTrack 'kept file' 10 -BatchName $batch
        $track.RequestId | Should -Be $original.RequestId
        $track.Reused | Should -BeTrue
        $track.AudioUrl | Should -Be $original.AudioUrl
        $null = $track | Save-CassetteAudio -Path $folder
        $saved = @(Get-ChildItem -LiteralPath $folder -Filter '*.wav')
        $saved.Count | Should -Be 1
        Test-CompleteWav -LiteralPath $saved[0].FullName | Should -BeTrue
    }

    It 'returns a completed item from its recorded file url once the queue''s result retention has passed' {
        # Results are kept an hour on fal and files a week; an engine of its own keeps results two seconds.
        $short = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true', '--ResultRetention', '00:00:02')
        try {
            Use-TestEngine -Engine $short -JournalPath $journal
            $original = New-CassetteTrack 'outlived its result' 10 -BatchName $batch
            $status = "$($short.Url)CassetteAI/music-generator/requests/$($original.RequestId)/status"
            $headers = @{ Authorization = "Key $($short.ApiKey)" }
            Wait-Until { (Invoke-WebRequest -Uri $status -Headers $headers -SkipHttpErrorCheck).StatusCode -eq 404 } -Because 'the result retention to pass'
            $track = New-CassetteTrack 'outlived its result' 10 -BatchName $batch
            $track.RequestId | Should -Be $original.RequestId
            $track.Reused | Should -BeTrue
            $track.AudioUrl | Should -Be $original.AudioUrl
            (Get-EngineCallCount -Engine $short).submit | Should -Be 1
            $null = $track | Save-CassetteAudio -Path $folder
            Test-CompleteWav -LiteralPath (Get-ChildItem -LiteralPath $folder -Filter '*.wav')[0].FullName | Should -BeTrue -Because 'the file outlives the result'
        }
        finally { Stop-CassetteLocalEngine $short }
    }

    It 'submits again, on the next run, an item in flight that the queue no longer knows' {
        $queued = New-CassetteTrack 'forgotten' 10 -BatchName $batch -NoWait
        # The journal says InQueue (-NoWait records no outcome); the queue now answers 404, as after an engine restart.
        foreach ($target in 'status', 'stream', 'result') {
            $null = Add-EngineFault -Engine $engine -Rule @{ target = $target; requestId = $queued.RequestId; kind = 'http'; status = 404; detail = 'Request not found'; count = 0 }
        }
        $submitted = Get-Submitted
        $null = New-CassetteTrack 'forgotten' 10 -BatchName $batch -ErrorAction SilentlyContinue -ErrorVariable lost
        $lost.Count | Should -Be 1
        $lost[0].FullyQualifiedErrorId | Should -BeLike 'RequestNotFound,*'
        (Get-CassetteJob | Where-Object RequestId -EQ $queued.RequestId).Status | Should -Be 'Failed'
        Get-Submitted | Should -Be $submitted -Because 'a request is never submitted twice within one run'

        $track = New-CassetteTrack 'forgotten' 10 -BatchName $batch
        $track.RequestId | Should -Not -Be $queued.RequestId
        $track.Reused | Should -BeFalse
        Get-Submitted | Should -Be ($submitted + 1)
    }

    It 'reuses items across processes: a second pwsh finds what the first one completed' {
        $null = 'shared' | New-CassetteTrack -Duration 10 -BatchName $batch
        $submitted = Get-Submitted
        $pwsh = @(Get-PwshCommand)
        $script = "Import-Module '$(Get-TestModulePath)'; (New-CassetteTrack 'shared' 10 -BatchName '$batch').Reused"
        $text = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script | Out-String
        $LASTEXITCODE | Should -Be 0
        $text.Trim() | Should -Be 'True'
        Get-Submitted | Should -Be $submitted
    }

    It 'changes nothing without -BatchName' {
        $null = New-CassetteTrack 'plain' 10 -BatchName $batch
        $submitted = Get-Submitted
        $plain = New-CassetteTrack 'plain' 10
        $plain.Reused | Should -BeFalse
        $plain.BatchName | Should -BeNullOrEmpty
        Get-Submitted | Should -Be ($submitted + 1)
    }

    It 'rejects an empty batch name naming the parameter' {
        $err = { New-CassetteTrack 'x' 10 -BatchName '' } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
        $err.Exception.Message | Should -Match 'BatchName'
    }
}
