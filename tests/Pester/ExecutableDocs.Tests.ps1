# The documentation is executable: every example in each cmdlet's help (src/Cassette/help/*.md) and every PowerShell
# block of README.md is read from the file itself and run against a local engine, so an example that stops working
# fails the build.
#
# Each example runs in a fresh runspace, in a fresh folder holding what the examples assume a user has: prompts.txt,
# tracks.csv (Prompt and Duration columns), the folders music/ and downloads/, and the built module at out/Cassette
# (the path the README imports it from). FAL_KEY and CASSETTE_QUEUE_URL point at the engine, and the journal already
# holds one completed request. The examples are written for fal, so the sample values they show stand for live ones:
#   https://queue.fal.run and http://127.0.0.1:<port>/   the engine's address
#   1f0c9e52-2b6d-4c1e-9a57-5d7b3f0a8e21                 the completed request's id
#   https://v3.fal.media/files/example/track.wav          the completed request's audio url
# Read-Host stands for the person at the keyboard, who types the key. An example passes when it writes no error.
# A block that only another suite can run (installing the built packages needs them built, and a home of its own) is
# marked in the file, on the line before it, with <!-- example covered by tests/Pester/<file> -->; that suite must
# exist and run the block's commands.

BeforeDiscovery {
    $root = Join-Path $PSScriptRoot '../..'

    function Get-FencedBlocks([string] $path) {
        $blocks = [System.Collections.Generic.List[object]]::new()
        $current = $null; $covered = $null; $previous = ''
        foreach ($line in Get-Content -LiteralPath $path) {
            if ($null -eq $current -and $line -match '^```powershell\s*$') {
                $current = [System.Text.StringBuilder]::new()
                $covered = if ($previous -match '^<!-- example covered by (\S+) -->$') { $Matches[1] } else { $null }
                continue
            }
            if ($null -ne $current -and $line -match '^```\s*$') { $blocks.Add(@{ Code = $current.ToString(); CoveredBy = $covered }); $current = $null; continue }
            if ($null -ne $current) { $null = $current.AppendLine($line) }
            if ($line.Trim()) { $previous = $line.Trim() }
        }
        $blocks
    }

    $script:examples = [System.Collections.Generic.List[hashtable]]::new()
    foreach ($file in Get-ChildItem -LiteralPath (Join-Path $root 'src/Cassette/help') -Filter '*.md' | Where-Object Name -NE '_Common.md' | Sort-Object Name) {
        # The help's examples: each "### Example" heading under "## EXAMPLES" and its first powershell block.
        $section = $null; $title = $null; $code = $null; $inCode = $false
        foreach ($line in Get-Content -LiteralPath $file.FullName) {
            if (-not $inCode -and $line -match '^## (.+)$') { $section = $Matches[1].Trim(); continue }
            if ($section -ne 'EXAMPLES') { continue }
            if (-not $inCode -and $line -match '^### (.+)$') { $title = $Matches[1].Trim(); $code = $null; continue }
            if (-not $inCode -and $title -and $null -eq $code -and $line -match '^```powershell\s*$') { $inCode = $true; $code = [System.Text.StringBuilder]::new(); continue }
            if ($inCode -and $line -match '^```\s*$') {
                $inCode = $false
                $examples.Add(@{ Source = "$($file.BaseName): $title"; Code = $code.ToString() })
                continue
            }
            if ($inCode) { $null = $code.AppendLine($line) }
        }
    }
    $script:covered = [System.Collections.Generic.List[hashtable]]::new()
    $number = 0
    foreach ($block in Get-FencedBlocks (Join-Path $root 'README.md')) {
        $number++
        $example = @{ Source = "README.md: PowerShell block $number"; Code = $block.Code; CoveredBy = $block.CoveredBy }
        if ($block.CoveredBy) { $covered.Add($example) } else { $examples.Add($example) }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # The real synthesizer (not Start-TestEngine -LoopedAudio): this file runs the documented examples as a user would.
    $script:engine = Start-TestEngine -ArgumentList @('--Workers', '4')
    $script:seedJournal = Join-Path $TestDrive 'seed-journal.jsonl'
    Use-TestEngine -Engine $engine -JournalPath $seedJournal
    $ps = New-ModuleRunspace
    try {
        $script:sample = $ps.AddCommand('New-CassetteTrack').AddParameter('Prompt', 'The request the examples name').AddParameter('Duration', 10).Invoke()[0]
        if ($ps.HadErrors) { throw "The sample request failed: $($ps.Streams.Error -join '; ')" }
    }
    finally { $ps.Dispose() }

    function ConvertTo-LiveExample([string] $code) {
        $url = $engine.Url
        $code = $code -replace 'https://queue\.fal\.run/?', $url
        $code = $code -replace 'http://127\.0\.0\.1:\d+/', $url
        $code = $code.Replace('1f0c9e52-2b6d-4c1e-9a57-5d7b3f0a8e21', $sample.RequestId)
        $code.Replace('https://v3.fal.media/files/example/track.wav', $sample.AudioUrl.AbsoluteUri)
    }

    function New-ExampleFolder {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder, (Join-Path $folder 'music'), (Join-Path $folder 'downloads'), (Join-Path $folder 'out')
        Set-Content -LiteralPath (Join-Path $folder 'prompts.txt') -Value 'Lo-fi piano loop, 80 BPM', 'Upbeat synthwave, Key: A Minor', 'Ambient drone with slow pads'
        Set-Content -LiteralPath (Join-Path $folder 'tracks.csv') -Value 'Prompt,Duration', 'Smooth chill hip-hop,10', 'Epic orchestral trailer,12'
        $module = Get-TestModulePath
        try { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'out/Cassette') -Target $module -ErrorAction Stop }
        catch { Copy-Item -LiteralPath $module -Destination (Join-Path $folder 'out/Cassette') -Recurse }
        Copy-Item -LiteralPath $seedJournal -Destination (Join-Path $folder 'journal.jsonl')
        $folder
    }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Every documented example runs' {
    It '<Source>' -ForEach $examples {
        $folder = New-ExampleFolder
        Use-TestEngine -Engine $engine -JournalPath (Join-Path $folder 'journal.jsonl')
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddCommand('Set-Location').AddParameter('LiteralPath', $folder).Invoke()
            $ps.Commands.Clear()
            # The person at the keyboard types the key when an example asks for it.
            $null = $ps.AddScript('function Read-Host { param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString, [switch] $MaskInput)
                if ($AsSecureString) { ConvertTo-SecureString -String $env:FAL_KEY -AsPlainText -Force } else { $env:FAL_KEY } }').Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript((ConvertTo-LiveExample $Code))
            $running = $ps.BeginInvoke()
            if (-not $running.AsyncWaitHandle.WaitOne([TimeSpan]::FromMinutes(10))) {
                $ps.Stop()
                throw "The example did not finish within 10 minutes:`n$Code"
            }
            $null = $ps.EndInvoke($running)
            $errors = @($ps.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
            $errors | Should -BeNullOrEmpty -Because "the example runs as documented:`n$Code"
        }
        finally {
            $ps.Commands.Clear()
            $null = $ps.AddScript('Get-Job | Remove-Job -Force').Invoke()
            $ps.Dispose()
            Clear-TestEnvironment
        }
    }
}

Describe 'Documented examples that another suite runs' {
    It '<Source> is run by <CoveredBy>' -ForEach $covered {
        $suite = Join-Path $PSScriptRoot "../../$CoveredBy"
        $suite | Should -Exist
        # The suite and the scripts beside it run every command the block shows.
        $folder = Join-Path (Split-Path $suite -Parent) ([IO.Path]::GetFileNameWithoutExtension($suite) -replace '\.Tests$')
        $text = (@(Get-Item -LiteralPath $suite) + @(Get-ChildItem -LiteralPath $folder -Filter *.ps1 -ErrorAction SilentlyContinue) |
            ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }) -join "`n"
        # A suite may run a script of examples/ (the runbook), which then holds the commands.
        $scripts = [regex]::Matches($text, 'examples/[\w.-]+\.ps1') | ForEach-Object { Join-Path $PSScriptRoot "../../$($_.Value)" } | Select-Object -Unique
        foreach ($script in $scripts) { if (Test-Path -LiteralPath $script) { $text += "`n" + (Get-Content -LiteralPath $script -Raw) } }
        foreach ($command in [regex]::Matches($Code, '(?m)^\s*([A-Z][a-z]+-[A-Za-z]+)') | ForEach-Object { $_.Groups[1].Value }) {
            $text | Should -Match ([regex]::Escape($command)) -Because "$CoveredBy runs $command as the README shows it"
        }
    }
}
