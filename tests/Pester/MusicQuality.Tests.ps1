# The music engine judged by analysers nobody on this project wrote (sox, ffmpeg's EBU R128 meter and astats,
# bpm-tools, aubio, essentia.js), on tracks generated end to end: module -> local engine -> synthesizer -> saved WAV.
# .ci/run installs the analysers; without them the suite is skipped with the reason, so a machine with only the
# .NET SDK still passes the README's test command.

BeforeDiscovery {
    $analysis = Join-Path $PSScriptRoot '../AudioQuality'
    Import-Module (Join-Path $analysis 'AudioAnalysis.psm1') -Force
    $missing = Get-MissingAudioAnalyser
    $skipReason = if ($missing.Count -gt 0) { "skipped: $($missing -join ', ') not installed; .ci/run installs them" } else { $null }
    $tracks = Get-Content (Join-Path $analysis 'prompts.json') -Raw | ConvertFrom-Json | ForEach-Object {
        @{ Prompt = $_.prompt; Seconds = [int]$_.seconds; Bpm = [double]$_.bpm; Key = $_.key }
    }
}

Describe "Music quality by independent analysers$(if ($skipReason) { " ($skipReason)" })" -Skip:([bool]$skipReason) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot '../AudioQuality/AudioAnalysis.psm1') -Force
        Import-Module (Get-TestModulePath) -Force
        # The real synthesizer (not Start-TestEngine -LoopedAudio): this file judges the music itself.
        $script:engine = Start-TestEngine
        $script:results = @{}
        try {
            $cases = Get-Content (Join-Path $PSScriptRoot '../AudioQuality/prompts.json') -Raw | ConvertFrom-Json
            foreach ($case in $cases) {
                # The journal goes to the test drive, never to the user's own (nor to one another test file writes at once).
                $saved = New-CassetteTrack -Prompt $case.prompt -Duration $case.seconds -QueueUrl $engine.Url -ApiKey $engine.ApiKey -JournalPath (Join-Path $TestDrive 'journal.jsonl') |
                    Save-CassetteAudio -Path $TestDrive -PassThru
                $path = $saved.Path
                $tempo = Get-Tempo $path
                $script:results[$case.prompt] = [pscustomobject]@{
                    Format     = Get-WavFormat $path
                    Tempo      = $tempo
                    TempoScore = Get-TempoScore $tempo $case.bpm
                    Key        = Get-MusicalKey $path
                    AskedKey   = (ConvertTo-SharpName ($case.key -split ' ')[0]) + ' ' + ($case.key -split ' ')[1].ToLowerInvariant()
                    Loudness   = Get-Loudness $path
                    Windows    = Get-WindowStatistics $path
                    Gaps       = @(Get-SilentGap $path $case.seconds)
                    Width      = Get-StereoWidth $path
                    Onsets     = Get-OnsetRate $path $case.seconds
                    Dc         = Get-DcOffset $path
                }
                Remove-Item -LiteralPath $path
            }
        }
        finally {
            Stop-CassetteLocalEngine $script:engine
        }
        $script:results.GetEnumerator() | Sort-Object Name | ForEach-Object {
            Write-Host ("  {0,-70} tempo {1,7:0.0} key {2,-9} {3,6:0.0} LUFS {4,5:0.0} dBTP" -f $_.Name, $_.Value.Tempo, $_.Value.Key, $_.Value.Loudness.Integrated, $_.Value.Loudness.TruePeak)
        }
    }

    Context '<Prompt> (<Seconds> s)' -ForEach $tracks {
        BeforeAll { $script:result = $script:results[$Prompt] }

        It 'is 44.1 kHz 16-bit stereo of the asked length' {
            $result.Format.SampleRate | Should -Be 44100
            $result.Format.Channels | Should -Be 2
            $result.Format.Bits | Should -Be 16
            $result.Format.Seconds | Should -BeGreaterOrEqual ($Seconds - 0.1)
            $result.Format.Seconds | Should -BeLessOrEqual ($Seconds + 0.1)
        }

        It 'sits between -16 and -10 LUFS with true peaks at or under -1 dBTP' {
            $result.Loudness.Integrated | Should -BeGreaterOrEqual -16
            $result.Loudness.Integrated | Should -BeLessOrEqual -10
            $result.Loudness.TruePeak | Should -BeLessOrEqual -1.0
        }

        It 'has no clicks and no clipping' {
            $result.Windows.MaxJump | Should -BeLessOrEqual 0.5
            $result.Windows.ClippedWindows | Should -Be 0
        }

        It 'has no silent gaps and no DC offset' {
            $result.Gaps | Should -BeNullOrEmpty
            $result.Dc | Should -BeLessThan 0.005
        }

        It 'is true stereo' {
            $result.Width | Should -BeLessThan 30
        }

        It 'keeps moving: at least 20 note onsets a minute' {
            $result.Onsets | Should -BeGreaterOrEqual 20
        }
    }

    It 'keeps the asked tempo within 3 % on all but one track in twelve (half or double counts half a miss)' {
        $misses = ($results.Values | ForEach-Object { 1 - $_.TempoScore } | Measure-Object -Sum).Sum
        $allowed = [math]::Floor($results.Count / 12)
        $report = ($results.GetEnumerator() | Where-Object { $_.Value.TempoScore -lt 1 } | ForEach-Object { "$($_.Name): $($_.Value.Tempo)" }) -join '; '
        $misses | Should -BeLessOrEqual $allowed -Because "tempo misses: $report"
    }

    It 'lands on the asked key and mode on all but one track in twelve' {
        $wrong = @($results.GetEnumerator() | Where-Object { $_.Value.Key -ne $_.Value.AskedKey })
        $allowed = [math]::Floor($results.Count / 12)
        $wrong.Count | Should -BeLessOrEqual $allowed -Because "wrong keys: $(($wrong | ForEach-Object { "$($_.Name): $($_.Value.Key)" }) -join '; ')"
    }
}
