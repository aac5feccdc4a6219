# The progress display as a person sees it: an interactive pwsh in a real terminal (tmux, 130 columns) runs a batch of
# twelve prompts, four at a time, and the screen is read while it runs. Skipped, saying why, where tmux is missing
# (CI installs it: .ci/run).

BeforeDiscovery {
    $script:noTmux = -not (Get-Command tmux -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:socket = 'cassette-test-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $script:engine = $null
    $script:socketPath = $null

    function Invoke-Tmux {
        # A private server (-L) so no other tmux on the machine is touched.
        $output = & tmux -L $socket @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "tmux $($args -join ' ') failed: $output" }
        $output
    }

    function Get-Screen { (Invoke-Tmux capture-pane -p -t cassette) -join "`n" }

    function Wait-Screen {
        <# Reads the screen until it matches; the deadline only stops a hang. Returns every screen seen meanwhile. #>
        param([Parameter(Mandatory)] [string] $Pattern, [int] $TimeoutSec = 300)
        $seen = [System.Collections.Generic.List[string]]::new()
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while ($true) {
            $screen = Get-Screen
            $seen.Add($screen)
            if ($screen -match $Pattern) { return , $seen }
            if ([DateTime]::UtcNow -gt $deadline) { throw "The screen did not show /$Pattern/ within $TimeoutSec s. It shows:`n$screen" }
            Start-Sleep -Milliseconds 200
        }
    }
}

AfterAll {
    if (-not $noTmux) { & tmux -L $socket kill-server 2>$null }
    # kill-server leaves the socket file behind.
    if ($script:socketPath) { Remove-Item -LiteralPath $script:socketPath -ErrorAction SilentlyContinue }
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Progress in an interactive terminal' -Skip:$noTmux {
    It 'shows an overall bar for a batch of 12 and legible per-track bars on 130 columns' {
        # Four seconds per request keeps the batch on screen for three rounds of four.
        # Looped audio (Start-TestEngine -LoopedAudio): this file tests progress display, not the music.
        $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '4', '--ProcessingSeconds', '4')
        $start = Join-Path $TestDrive 'start.ps1'
        @(
            "Import-Module '$((Get-TestModulePath).Replace("'", "''"))'"
            "`$env:CASSETTE_QUEUE_URL = '$($engine.Url)'"
            "`$env:FAL_KEY = '$($engine.ApiKey)'"
            "`$env:CASSETTE_JOURNAL_PATH = '$((Join-Path $TestDrive 'journal.jsonl').Replace("'", "''"))'"
        ) | Set-Content -LiteralPath $start
        $pwsh = (@(Get-PwshCommand) + @('-NoProfile', '-NoLogo', '-NoExit', '-File', $start) | ForEach-Object { "'" + $_.Replace("'", "'\''") + "'" }) -join ' '
        Invoke-Tmux new-session -d -s cassette -x 130 -y 45 $pwsh
        $script:socketPath = Invoke-Tmux display-message -p '#{socket_path}'
        $null = Wait-Screen 'PS [^\n]*>\s*$'

        Invoke-Tmux send-keys -t cassette '1..12 | ForEach-Object { "Batch prompt number $_, a lo-fi loop with warm keys" } | New-CassetteTrack -Duration 10 -ThrottleLimit 4 | Out-Null; "BATCH-" + "DONE"' Enter
        $screens = Wait-Screen '(?m)^BATCH-DONE'

        $overall = '(?m)^\s*Generating 12 tracks\b.*\b\d+ of 12 done\b.*\b\d+ running\b.*\b\d+ waiting\b'
        $withBars = @($screens | Where-Object { $_ -match $overall })
        $withBars | Should -Not -BeNullOrEmpty -Because "an overall bar shows the batch; the screens were:`n$($screens[-3..-1] -join "`n----`n")"
        ($withBars -join "`n") | Should -Match '(?m)^\s*Generating 12 tracks\b.*\b8 waiting\b' -Because 'the eight prompts beyond -ThrottleLimit 4 are counted'

        # A track's bar: its prompt, then its whole status inside the bar, with nothing cut off.
        $trackBar = '(?m)^\s*Batch prompt number \d+.*\[\s*(Submitting|In the queue|Generating|Fetching)[^\]…]*\]\s*$'
        $best = $withBars | Sort-Object { [regex]::Matches($_, $trackBar).Count } -Descending | Select-Object -First 1
        [regex]::Matches($best, $trackBar).Count | Should -BeGreaterOrEqual 2 -Because "the per-track bars are visible and legible beneath the overall bar:`n$best"
        foreach ($line in $best -split "`n") { $line.Length | Should -BeLessOrEqual 130 }
    }
}
