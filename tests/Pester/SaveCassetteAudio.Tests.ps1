BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests file names and WAV headers, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '2', '--ProcessingSeconds', '1')
    $script:id = 'SaveCassetteAudioCommand'
    $script:journal = Join-Path $TestDrive 'journal.jsonl'
    Use-TestEngine -Engine $engine -JournalPath $journal
    $script:track = New-CassetteTrack 'Smooth chill hip-hop: ../../CON <beat>|90 BPM?' 10
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Save-CassetteAudio' {
    BeforeEach {
        Use-TestEngine -Engine $engine -JournalPath $journal
        $script:folder = New-TestFolder -Root $TestDrive
    }
    AfterEach {
        Assert-NoPartialFile $folder
        Clear-TestEnvironment
    }

    It 'saves a track into a folder under a safe name from the prompt and request id, and describes the file' {
        $saved = $track | Save-CassetteAudio -Path $folder -PassThru
        $saved | Should -BeOfType ([Cassette.CassetteAudioFile])
        Split-Path $saved.Path -Parent | Should -Be $folder
        Split-Path $saved.Path -Leaf | Should -Be ("smooth-chill-hip-hop-con-beat-90-bpm-{0}.wav" -f $track.RequestId.Substring(0, 8))
        $saved.Size | Should -Be $track.FileSize
        (Get-Item -LiteralPath $saved.Path).Length | Should -Be $track.FileSize
        $saved.Duration | Should -Be 10
        $saved.SampleRate | Should -Be 44100
        $saved.Channels | Should -Be 2
        $saved.BitsPerSample | Should -Be 16
        $saved.RequestId | Should -Be $track.RequestId
        $saved.Prompt | Should -Be $track.Prompt
        "$saved" | Should -Be $saved.Path -Because 'a saved file prints as its path, as a FileInfo does'
    }

    It 'saves to a file name given with -Path, relative to the PowerShell location' {
        Push-Location $folder
        try { $saved = $track | Save-CassetteAudio -Path 'mine.wav' -PassThru }
        finally { Pop-Location }
        $saved.Path | Should -Be (Join-Path $folder 'mine.wav')
        $saved.Path | Should -Exist
    }

    It 'takes -LiteralPath with wildcard characters as they are' {
        $target = Join-Path $folder 'take [1].wav'
        $saved = Save-CassetteAudio -InputObject $track -LiteralPath $target -PassThru
        $saved.Path | Should -Be $target
        Test-Path -LiteralPath $target | Should -BeTrue
    }

    It 'does not overwrite without -Force, and does with it' {
        $target = Join-Path $folder 'twice.wav'
        Set-Content -LiteralPath $target -Value 'precious'
        $err = { $track | Save-CassetteAudio -Path $target -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "FileExists,Cassette.Cmdlets.$id"
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content -LiteralPath $target | Should -Be 'precious'
        ($track | Save-CassetteAudio -Path $target -Force -PassThru).Size | Should -Be $track.FileSize
    }

    It 'writes nothing with -WhatIf' {
        $track | Save-CassetteAudio -Path $folder -WhatIf
        Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
    }

    It 'waits for a queued request piped to it, then saves it' {
        $job = New-CassetteTrack 'saved while queued' 10 -NoWait
        $saved = $job | Save-CassetteAudio -Path $folder -PassThru
        $saved.RequestId | Should -Be $job.RequestId
        $saved.Prompt | Should -Be 'saved while queued'
        $saved.Duration | Should -Be 10
    }

    It 'saves what Get-CassetteJob lists from the journal' {
        $saved = Get-CassetteJob -Status Completed -First 1 | Save-CassetteAudio -Path $folder -PassThru
        $saved.Path | Should -Exist
    }

    It 'saves a url given as a string, named after the url' {
        $saved = $track.AudioUrl.AbsoluteUri | Save-CassetteAudio -Path $folder -PassThru
        Split-Path $saved.Path -Leaf | Should -Be "$($track.RequestId).wav"
        $saved.RequestId | Should -BeNullOrEmpty
    }

    It 'saves a deserialized track (as from a background job or Import-Clixml)' {
        $xml = Join-Path $TestDrive 'track.xml'
        $track | Export-Clixml -LiteralPath $xml
        $saved = Import-Clixml -LiteralPath $xml | Save-CassetteAudio -Path $folder -PassThru
        $saved.RequestId | Should -Be $track.RequestId
    }

    It 'refuses a url that is not http or https: <Url>' -TestCases @(@{ Url = 'file:///etc/passwd' }, @{ Url = 'ftp://example.com/a.wav' }) {
        $err = { $Url | Save-CassetteAudio -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "UnsupportedUrlScheme,Cassette.Cmdlets.$id"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'reports a file the host does not have as DownloadFailed' {
        $missing = $track.AudioUrl.AbsoluteUri -replace '\.wav$', '-missing.wav' -replace '/files/[^/]+/', '/files/no-such-request/'
        $err = { $missing | Save-CassetteAudio -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "DownloadFailed,Cassette.Cmdlets.$id"
        Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
    }

    It 'reports a folder that does not exist as DirectoryNotFound' {
        $err = { $track | Save-CassetteAudio -Path (Join-Path $folder 'missing' 'x.wav') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "DirectoryNotFound,Cassette.Cmdlets.$id"
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a path on a provider other than the file system' {
        $err = { $track | Save-CassetteAudio -Path 'Env:\x' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "NotAFileSystemPath,Cassette.Cmdlets.$id"
    }

    It 'refuses input it cannot save' {
        $err = { 'not a url' | Save-CassetteAudio -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "InvalidUrl,Cassette.Cmdlets.$id"
        $err = { 42 | Save-CassetteAudio -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "UnsupportedInput,Cassette.Cmdlets.$id"
        $err = { [pscustomobject]@{ Name = 'x' } | Save-CassetteAudio -Path $folder -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "UnsupportedInput,Cassette.Cmdlets.$id"
    }

    It 'shows download progress and completes it' {
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddCommand('Save-CassetteAudio').AddParameter('InputObject', $track).AddParameter('Path', $folder).AddParameter('PassThru')
            $saved = $ps.Invoke()
            $saved[0].Path | Should -Exist
            $records = $ps.Streams.Progress
            ($records | Where-Object { $_.RecordType -eq 'Processing' -and $_.StatusDescription -match 'MB' }) | Should -Not -BeNullOrEmpty
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }
}
