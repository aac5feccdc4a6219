BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # The real synthesizer (not Start-TestEngine -LoopedAudio): this file is the end-to-end path a user takes, prompt to rendered WAV.
    $script:engine = Start-TestEngine
    # Every submission is journaled: keep the journal inside the test drive.
    $env:CASSETTE_JOURNAL_PATH = Join-Path $TestDrive 'journal.jsonl'
}

AfterAll {
    Remove-Item Env:CASSETTE_JOURNAL_PATH -ErrorAction SilentlyContinue
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'From a prompt to a saved WAV' {
    It 'generates a track and saves a 44.1 kHz stereo WAV of the asked length' {
        $prompt = 'Smooth chill hip-hop beat, Key: D Minor, Tempo: 90 BPM'
        $track = New-CassetteTrack -Prompt $prompt -Duration 12 -QueueUrl $engine.Url -ApiKey $engine.ApiKey

        $track | Should -BeOfType ([Cassette.CassetteTrack])
        $track.RequestId | Should -Not -BeNullOrEmpty
        $track.Prompt | Should -Be $prompt
        $track.Duration | Should -Be 12
        $track.ContentType | Should -Be 'audio/wav'
        $track.FileSize | Should -Be (44 + 12 * 44100 * 4)
        $track.AudioUrl.AbsoluteUri | Should -BeLike "$($engine.Url)*"

        $saved = $track | Save-CassetteAudio -Path $TestDrive -PassThru
        $saved.Path | Should -Exist
        $saved.Duration | Should -Be 12
        $saved.SampleRate | Should -Be 44100
        $saved.Channels | Should -Be 2
        $saved.BitsPerSample | Should -Be 16
        (Get-Item $saved.Path).Length | Should -Be $track.FileSize
        Get-ChildItem $TestDrive -Filter '*.partial' -Force | Should -BeNullOrEmpty
    }

    It 'takes the queue address and key from CASSETTE_QUEUE_URL and FAL_KEY' {
        $env:CASSETTE_QUEUE_URL = $engine.Url
        $env:FAL_KEY = $engine.ApiKey
        try {
            $track = New-CassetteTrack 'ambient pads' 10
            $track.AudioUrl.AbsoluteUri | Should -BeLike "$($engine.Url)*"
        }
        finally {
            Remove-Item Env:CASSETTE_QUEUE_URL, Env:FAL_KEY
        }
    }

    It 'rejects a duration outside 10..180 before sending anything' {
        { New-CassetteTrack -Prompt 'x' -Duration 181 -QueueUrl $engine.Url -ApiKey $engine.ApiKey -ErrorAction Stop } |
            Should -Throw -ErrorId 'DurationOutOfRange,Cassette.Cmdlets.NewCassetteTrackCommand'
    }
}
