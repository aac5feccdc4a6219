# Save-CassetteAudio -SkipExisting: a file already saved is left alone and no download starts, so a re-run is free.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'RunbookHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests -SkipExisting and WAV headers, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '2')
    $script:journal = Join-Path $TestDrive 'journal.jsonl'
    Use-TestEngine -Engine $engine -JournalPath $journal
    $script:track = New-CassetteTrack 'Skip me, Key: A Minor' 10
    $script:id = (Get-Command Save-CassetteAudio).ImplementingType.FullName
    function Get-Downloads { (Get-EngineCallCount -Engine $engine).file }
    # Found in the folder rather than from Save's output, which is the subject of -PassThru.
    function Get-SavedFile { @(Get-ChildItem -LiteralPath $folder -Force) }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Save-CassetteAudio -SkipExisting' {
    BeforeEach {
        Use-TestEngine -Engine $engine -JournalPath $journal
        $script:folder = New-TestFolder -Root $TestDrive
    }
    AfterEach {
        Assert-NoPartialFile $folder
        Clear-TestEnvironment
    }

    It 'leaves a complete file alone and starts no download, under the same name every time' {
        $null = $track | Save-CassetteAudio -Path $folder -SkipExisting
        $first = Get-SavedFile
        $first.Count | Should -Be 1
        $downloads = Get-Downloads

        $verbose = $track | Save-CassetteAudio -Path $folder -SkipExisting -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        Get-Downloads | Should -Be $downloads -Because 'no download starts'
        $second = Get-SavedFile
        $second.Count | Should -Be 1 -Because 'the name is made from the request, the same on every run'
        $second[0].Name | Should -Be $first[0].Name
        $second[0].LastWriteTimeUtc | Should -Be $first[0].LastWriteTimeUtc
        $second[0].Length | Should -Be $track.FileSize
        "$verbose" | Should -Match 'already holds'
    }

    It 'leaves a complete file alone when the track no longer knows its size (a file url from the journal)' {
        $null = $track | Save-CassetteAudio -Path $folder
        $first = Get-SavedFile
        $downloads = Get-Downloads
        $request = Get-CassetteJob | Where-Object RequestId -EQ $track.RequestId
        $request.Track.FileSize | Should -BeNullOrEmpty -Because 'the journal records the url, not the size'
        $null = $request | Save-CassetteAudio -Path $folder -SkipExisting
        Get-Downloads | Should -Be $downloads
        (Get-SavedFile)[0].LastWriteTimeUtc | Should -Be $first[0].LastWriteTimeUtc
        Test-CompleteWav -LiteralPath $first[0].FullName | Should -BeTrue
    }

    It 'refuses, and keeps, a file that is not a complete WAV of the expected size: <Case>' -TestCases @(
        @{ Case = 'not a WAV'; Bytes = [Text.Encoding]::ASCII.GetBytes('<html>not audio</html>') }
        @{ Case = 'cut short'; Cut = $true }
    ) {
        $null = $track | Save-CassetteAudio -Path $folder
        $saved = (Get-SavedFile)[0].FullName
        $bytes = if ($Cut) { [IO.File]::ReadAllBytes($saved)[0..9999] } else { $Bytes }
        [IO.File]::WriteAllBytes($saved, [byte[]] $bytes)
        $downloads = Get-Downloads
        $null = $track | Save-CassetteAudio -Path $folder -SkipExisting -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "FileExists,$id"
        $failed[0].Exception.Message | Should -Match 'not a complete WAV'
        (Get-Item -LiteralPath $saved).Length | Should -Be $bytes.Count -Because 'nothing is overwritten without -Force'
        Get-Downloads | Should -Be $downloads
        # -Force replaces it.
        $null = $track | Save-CassetteAudio -Path $folder -SkipExisting -Force
        Test-CompleteWav -LiteralPath $saved | Should -BeTrue
    }

    It 'with -PassThru, describes a file it left alone exactly as it describes one it saved' {
        $saved = $track | Save-CassetteAudio -Path $folder -PassThru
        $downloads = Get-Downloads
        $kept = $track | Save-CassetteAudio -Path $folder -SkipExisting -PassThru
        Get-Downloads | Should -Be $downloads
        foreach ($property in $saved.PSObject.Properties.Name) {
            $kept.$property | Should -Be $saved.$property -Because "$property comes from the same file either way"
        }
        $kept.RequestId | Should -Be $track.RequestId
        $kept.SampleFormat | Should -Be 'PCM'
    }

    It 'with -PassThru, reports the sample format of a float WAV it left alone from the file''s header' {
        # One second of 8 kHz stereo 32-bit IEEE float silence (format code 3).
        $stream = [IO.MemoryStream]::new()
        $w = [IO.BinaryWriter]::new($stream)
        $data = 8000 * 8
        $w.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $w.Write([uint32](36 + $data)); $w.Write([Text.Encoding]::ASCII.GetBytes('WAVEfmt '))
        $w.Write([uint32]16); $w.Write([uint16]3); $w.Write([uint16]2); $w.Write([uint32]8000); $w.Write([uint32](8000 * 8)); $w.Write([uint16]8); $w.Write([uint16]32)
        $w.Write([Text.Encoding]::ASCII.GetBytes('data')); $w.Write([uint32]$data); $w.Write([byte[]]::new($data))
        $w.Flush()
        $path = Join-Path $folder 'float.wav'
        [IO.File]::WriteAllBytes($path, $stream.ToArray())
        $downloads = Get-Downloads
        $kept = $track.AudioUrl.AbsoluteUri | Save-CassetteAudio -Path $path -SkipExisting -PassThru
        Get-Downloads | Should -Be $downloads
        $kept.SampleFormat | Should -Be 'IEEE float'
        $kept.BitsPerSample | Should -Be 32
        $kept.Duration | Should -Be 1
    }

    It 'removes what a killed save left behind, and saves the file' {
        $null = $track | Save-CassetteAudio -Path $folder
        $name = (Get-SavedFile)[0].Name
        Remove-Item -LiteralPath (Join-Path $folder $name)
        # What AudioDownloader leaves when its process is killed mid-body: nobody holds it any more.
        $stale = Join-Path $folder ".$name.0badc0de.partial"
        [IO.File]::WriteAllBytes($stale, [byte[]]::new(1000))
        $null = $track | Save-CassetteAudio -Path $folder -SkipExisting
        Test-Path -LiteralPath $stale | Should -BeFalse
        Test-CompleteWav -LiteralPath (Join-Path $folder $name) | Should -BeTrue
    }
}
