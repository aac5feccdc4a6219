# Measurements of a WAV file by analysers nobody on this project wrote: sox, ffmpeg, bpm-tools and essentia.js.
# Used by tests/Pester/MusicQuality.Tests.ps1; each function returns numbers, the tests decide what passes.

Set-StrictMode -Version 3

function Get-MissingAudioAnalyser {
    <# Names of the analysers that are not installed; empty when the quality suite can run. #>
    $missing = foreach ($tool in 'sox', 'soxi', 'ffmpeg', 'bpm', 'aubioonset', 'node') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { $tool }
    }
    if (-not (Test-Path (Join-Path $PSScriptRoot 'node_modules/essentia.js/package.json'))) { $missing += 'essentia.js (npm ci in tests/AudioQuality)' }
    @($missing)
}

function Invoke-Analyser {
    param([string] $Command, [string[]] $Arguments)
    $output = & $Command @Arguments 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE`: $($output -join "`n")" }
    $output
}

function Get-WavFormat {
    param([string] $Path)
    [pscustomobject]@{
        SampleRate = [int](Invoke-Analyser soxi '-r', $Path)
        Channels   = [int](Invoke-Analyser soxi '-c', $Path)
        Bits       = [int](Invoke-Analyser soxi '-b', $Path)
        Seconds    = [double](Invoke-Analyser soxi '-D', $Path)
    }
}

function Get-Tempo {
    <# bpm-tools over 50..200 BPM on the mono sum, as the judges run it. #>
    param([string] $Path)
    $raw = "$Path.f32"
    try {
        Invoke-Analyser sox $Path, '-t', 'raw', '-r', '44100', '-e', 'float', '-b', '32', '-c', '1', $raw | Out-Null
        [double](Invoke-Analyser sh '-c', "bpm -m 50 -x 200 < '$raw'" | Select-Object -Last 1)
    }
    finally {
        Remove-Item -LiteralPath $raw -ErrorAction SilentlyContinue
    }
}

function Get-TempoScore {
    <# 1 within 3 % of the asked tempo, 0.5 at half or double (an octave off), else 0. #>
    param([double] $Measured, [double] $Asked)
    $ratio = $Measured / $Asked
    if ($ratio -gt 0.97 -and $ratio -lt 1.03) { return 1.0 }
    if (($ratio -gt 0.485 -and $ratio -lt 0.515) -or ($ratio -gt 1.94 -and $ratio -lt 2.06)) { return 0.5 }
    0.0
}

function Get-MusicalKey {
    <# essentia.js KeyExtractor (bgate profile), normalised to sharps: "F# minor". #>
    param([string] $Path)
    $line = Invoke-Analyser node (Join-Path $PSScriptRoot 'key.js'), $Path | Select-Object -Last 1
    $tonic, $mode = ($line -split ' ')[0, 1]
    "$(ConvertTo-SharpName $tonic) $mode"
}

function ConvertTo-SharpName {
    param([string] $Tonic)
    $flats = @{ 'Db' = 'C#'; 'Eb' = 'D#'; 'Gb' = 'F#'; 'Ab' = 'G#'; 'Bb' = 'A#' }
    $name = $Tonic.Replace('♯', '#').Replace('♭', 'b')
    if ($flats.ContainsKey($name)) { $flats[$name] } else { $name }
}

function Get-Loudness {
    <# ffmpeg's EBU R128 meter: integrated loudness (LUFS) and true peak (dBTP). #>
    param([string] $Path)
    $log = Invoke-Analyser ffmpeg '-nostats', '-hide_banner', '-i', $Path, '-af', 'ebur128=peak=true', '-f', 'null', '-'
    $summary = $log[([array]::FindLastIndex([string[]]$log, [Predicate[string]] { param($l) $l -match 'Summary:' }))..($log.Count - 1)]
    $integrated = ($summary | Where-Object { $_ -match '^\s*I:\s+(-?[\d.]+|-inf) LUFS' } | Select-Object -First 1) -replace '^\s*I:\s+(\S+).*', '$1'
    $peak = ($summary | Where-Object { $_ -match '^\s*Peak:\s+(-?[\d.]+|-inf) dBFS' } | Select-Object -Last 1) -replace '^\s*Peak:\s+(\S+).*', '$1'
    [pscustomobject]@{ Integrated = [double]$integrated; TruePeak = [double]$peak }
}

function Get-WindowStatistics {
    <#
    ffmpeg astats over 50 ms windows: the largest sample-to-sample jump in any window (a click shows as a jump
    above half of full scale) and how many windows sit flat at full scale (clipping).
    #>
    param([string] $Path)
    $filter = 'aformat=sample_fmts=flt,asetnsamples=n=2205:p=0,astats=metadata=1:reset=1:measure_perchannel=none:measure_overall=Peak_level+Flat_factor+Max_difference,ametadata=mode=print:file=-'
    $lines = Invoke-Analyser ffmpeg '-hide_banner', '-nostats', '-i', $Path, '-af', $filter, '-f', 'null', '-'
    $maxJump = 0.0; $clipped = 0; $peak = -200.0; $flat = 0.0
    foreach ($line in $lines) {
        if ($line -match 'Overall\.Max_difference=([\d.eE+-]+)') { $maxJump = [math]::Max($maxJump, [double]$Matches[1]) }
        elseif ($line -match 'Overall\.Peak_level=(-?[\d.]+|-inf)') { $peak = if ($Matches[1] -eq '-inf') { -200.0 } else { [double]$Matches[1] } }
        elseif ($line -match 'Overall\.Flat_factor=([\d.]+)') {
            $flat = [double]$Matches[1]
            if ($flat -gt 0 -and $peak -ge -0.01) { $clipped++ }
        }
    }
    [pscustomobject]@{ MaxJump = $maxJump; ClippedWindows = $clipped }
}

function Get-SilentGap {
    <# Silences (below -60 dB for 50 ms or more) that start after the first 0.5 s and end before the last 4 s. #>
    param([string] $Path, [double] $Seconds)
    $lines = Invoke-Analyser ffmpeg '-hide_banner', '-nostats', '-i', $Path, '-af', 'silencedetect=noise=-60dB:d=0.05', '-f', 'null', '-'
    $start = $null
    foreach ($line in $lines) {
        if ($line -match 'silence_start: (-?[\d.]+)') { $start = [double]$Matches[1] }
        elseif ($line -match 'silence_end: ([\d.]+)') {
            $end = [double]$Matches[1]
            if ($end -gt 0.5 -and $start -lt $Seconds - 4) { "{0:0.00}-{1:0.00} s" -f $start, $end }
        }
    }
}

function Get-StereoWidth {
    <# How far (dB) the side signal sits below the mid: dual mono is -inf, a wide mix 10-20 dB. #>
    param([string] $Path)
    $rms = {
        param($remix)
        $stats = Invoke-Analyser sox $Path, '-n', 'remix', $remix, 'stats'
        $line = $stats | Where-Object { $_ -match '^RMS lev dB' } | Select-Object -First 1
        $value = ($line -split '\s+')[3]
        if ($value -eq '-inf') { [double]::NegativeInfinity } else { [double]$value }
    }
    (& $rms '1,2') - (& $rms '1,2v-1')
}

function Get-OnsetRate {
    <# Note onsets per minute as aubio hears them: a drone or a stuck note has almost none. #>
    param([string] $Path, [double] $Seconds)
    $onsets = @(Invoke-Analyser aubioonset '-i', $Path | Where-Object { $_ -match '^\s*[\d.]+\s*$' })
    $onsets.Count * 60 / $Seconds
}

function Get-DcOffset {
    param([string] $Path)
    $stats = Invoke-Analyser sox $Path, '-n', 'stats'
    $line = $stats | Where-Object { $_ -match '^DC offset' } | Select-Object -First 1
    (($line -split '\s+') | Select-Object -Skip 2 | ForEach-Object { [math]::Abs([double]$_) } | Measure-Object -Maximum).Maximum
}

Export-ModuleMember -Function Get-MissingAudioAnalyser, Get-WavFormat, Get-Tempo, Get-TempoScore, Get-MusicalKey, ConvertTo-SharpName,
    Get-Loudness, Get-WindowStatistics, Get-SilentGap, Get-StereoWidth, Get-OnsetRate, Get-DcOffset
