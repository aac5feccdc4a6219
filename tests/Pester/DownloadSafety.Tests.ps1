# Issue 13, downloads and destinations: -TimeoutSec and a minimum throughput end a trickling download; a FIFO, socket
# or device at the destination is never replaced; a symlink there is replaced, never followed; temporary names fit the
# file system's name limit; a partial file left by a killed pwsh is cleaned up by the next save to that path; a
# redirect to another scheme is a catalogued error; a -Path naming a new file with wildcard characters is taken as it
# is written. The fake queue (tests/HostileServer) serves the misbehaving downloads.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileServerHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:key = 'download-key-' + [guid]::NewGuid().ToString('N')
    $script:server = Start-HostileServer -ApiKey $key
    $script:save = 'Cassette.Cmdlets.SaveCassetteAudioCommand'
    $script:goodHash = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData($server.GoodWav))

    function Get-FileUrl([string] $Scenario) {
        $tag = $Scenario + '~' + [guid]::NewGuid().ToString('N')
        $server.ScenarioUrl($tag) + 'files/track.wav'
    }
    function Get-Hash([string] $Path) { [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($Path))) }
}

AfterAll {
    Clear-TestEnvironment
    Stop-HostileServer $script:server
}

Describe 'Downloads cannot be held open' {
    BeforeEach {
        $script:folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))).FullName
        $env:FAL_KEY = $key
        $env:CASSETTE_JOURNAL_PATH = Join-Path $TestDrive 'journal.jsonl'
    }
    AfterEach { Clear-TestEnvironment }

    It 'a download trickling 2 bytes/s ends at -TimeoutSec with Timeout, and leaves nothing' {
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -Path $folder -TimeoutSec 5 -ReadTimeoutSec 3 } -Variables @{ url = (Get-FileUrl 'trickle'); folder = $folder } -TimeoutSec 60
        $run.Error.FullyQualifiedErrorId | Should -Be "Timeout,$save"
        $run.Error.Exception.Message | Should -Match '-TimeoutSec'
        Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
    }

    It 'a download trickling 2 bytes/s, with no -TimeoutSec, is DownloadStalled by the minimum throughput, and leaves nothing' {
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -Path $folder -ReadTimeoutSec 2 -MaxRetryCount 1 } -Variables @{ url = (Get-FileUrl 'trickle'); folder = $folder } -TimeoutSec 60
        $run.Error.FullyQualifiedErrorId | Should -Be "DownloadStalled,$save"
        $run.Error.Exception.Message | Should -Match 'bytes/s|KiB/s'
        Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
    }

    It 'a redirect to <Where> is <Id>, and leaves nothing' -ForEach @(
        @{ Where = 'file:///etc/passwd'; Scenario = 'redirect-file'; Id = 'UnsupportedUrlScheme' }
        @{ Where = 'itself, for ever'; Scenario = 'redirect-loop'; Id = 'DownloadFailed' }
    ) {
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -Path $folder -MaxRetryCount 0 } -Variables @{ url = (Get-FileUrl $Scenario); folder = $folder }
        $run.Error.FullyQualifiedErrorId | Should -Be "$Id,$save"
        Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
    }

    It 'a redirect to another host is followed, without the key' {
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -Path $folder -PassThru } -Variables @{ url = (Get-FileUrl 'redirect-other'); folder = $folder }
        $run.Errors | Should -BeNullOrEmpty
        Get-Hash $run.Output[0].Path | Should -Be $goodHash
        $server.Leaks | Should -BeNullOrEmpty
    }
}

Describe 'What is at the destination' {
    BeforeEach {
        $script:folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))).FullName
        $env:FAL_KEY = $key
    }
    AfterEach { Clear-TestEnvironment }

    It 'a FIFO at the destination is never replaced, even with -Force' -Skip:$IsWindows {
        $fifo = Join-Path $folder 'pipe.wav'
        & mkfifo $fifo
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -LiteralPath $fifo -Force } -Variables @{ url = (Get-FileUrl 'ok'); fifo = $fifo }
        $run.Error.FullyQualifiedErrorId | Should -Be "NotARegularFile,$save"
        $run.Error.Exception.Message | Should -Match ([regex]::Escape($fifo))
        (& stat -c '%F' $fifo) | Should -Be 'fifo'
        Get-ChildItem -LiteralPath $folder -Force | Should -HaveCount 1
    }

    It 'a character device at the destination (a node like /dev/null) is never replaced, even with -Force' -Skip:$IsWindows {
        # A device node of its own in the test folder: the test must never put the real /dev/null at risk.
        $device = Join-Path $folder 'null.wav'
        & mknod $device c 1 3 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'creating a device node needs root'; return }
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -LiteralPath $device -Force } -Variables @{ url = (Get-FileUrl 'ok'); device = $device }
        $run.Error.FullyQualifiedErrorId | Should -Be "NotARegularFile,$save"
        (& stat -c '%F' $device) | Should -Be 'character special file'
        Get-ChildItem -LiteralPath $folder -Force | Should -HaveCount 1
    }

    It 'a symlink at the destination is FileExists without -Force, also when it dangles' -Skip:$IsWindows {
        $target = Join-Path $folder 'precious.txt'
        Set-Content -LiteralPath $target -Value 'keep me'
        $link = Join-Path $folder 'link.wav'
        $dangling = Join-Path $folder 'dangling.wav'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $target
        $null = New-Item -ItemType SymbolicLink -Path $dangling -Target (Join-Path $folder 'nothing-here')
        foreach ($destination in $link, $dangling) {
            $run = Invoke-WithDeadline { $url | Save-CassetteAudio -LiteralPath $destination } -Variables @{ url = (Get-FileUrl 'ok'); destination = $destination }
            $run.Error.FullyQualifiedErrorId | Should -Be "FileExists,$save"
            (Get-Item -LiteralPath $destination -Force).LinkType | Should -Be 'SymbolicLink'
        }
        Get-Content -LiteralPath $target | Should -Be 'keep me'
        Test-Path -LiteralPath (Join-Path $folder 'nothing-here') | Should -BeFalse
    }

    It 'a symlink at the destination is replaced with -Force, and the file it pointed to is untouched' -Skip:$IsWindows {
        $target = Join-Path $folder 'precious.txt'
        Set-Content -LiteralPath $target -Value 'keep me'
        $link = Join-Path $folder 'link.wav'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $target
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -LiteralPath $link -Force } -Variables @{ url = (Get-FileUrl 'ok'); link = $link }
        $run.Errors | Should -BeNullOrEmpty
        (Get-Item -LiteralPath $link -Force).LinkType | Should -BeNullOrEmpty
        Get-Hash $link | Should -Be $goodHash
        Get-Content -LiteralPath $target | Should -Be 'keep me'
    }

    It 'a file name of <Length> characters is saved (the temporary name fits the name limit)' -ForEach @(@{ Length = 238 }, @{ Length = 255 }) {
        $name = ('n' * ($Length - 4)) + '.wav'
        $destination = Join-Path $folder $name
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -LiteralPath $destination } -Variables @{ url = (Get-FileUrl 'ok'); destination = $destination }
        $run.Errors | Should -BeNullOrEmpty
        Get-Hash $destination | Should -Be $goodHash
        Get-ChildItem -LiteralPath $folder -Force | Should -HaveCount 1
    }

    It '-Path naming a new file with wildcard characters saves that very name' {
        Push-Location $folder
        try {
            $null = New-Item -ItemType Directory -Path 'music'
            $run = Invoke-WithDeadline { Set-Location $folder; $url | Save-CassetteAudio -Path './music/[x].wav' -PassThru } -Variables @{ url = (Get-FileUrl 'ok'); folder = $folder }
        }
        finally { Pop-Location }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Path | Should -Be (Join-Path $folder 'music' '[x].wav')
        Get-Hash -Path (Join-Path $folder 'music' '[x].wav') | Should -Be $goodHash
    }

    It 'a -Path whose wildcards match two items says to use -LiteralPath' {
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'a1'), (Join-Path $folder 'a2')
        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -Path (Join-Path $folder 'a?') } -Variables @{ url = (Get-FileUrl 'ok'); folder = $folder }
        $run.Error.FullyQualifiedErrorId | Should -Be "AmbiguousPath,$save"
        $run.Error.Exception.Message | Should -Match '-LiteralPath'
    }
}

Describe 'A partial file left by a pwsh that was killed' {
    BeforeEach {
        $script:folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))).FullName
        $env:FAL_KEY = $key
    }
    AfterEach { Clear-TestEnvironment }

    It 'is removed by the next save to the same path, and a partial of another name is left alone' {
        $destination = Join-Path $folder 'killed.wav'
        $other = Join-Path $folder '.other.wav.0badc0de.partial'
        Set-Content -LiteralPath $other -Value 'not ours'
        $child = Start-ChildPwsh "Import-Module '$(Get-TestModulePath)'; '$(Get-FileUrl 'trickle')' | Save-CassetteAudio -LiteralPath '$destination' -ReadTimeoutSec 600"
        try {
            Wait-Until { @(Get-ChildItem -LiteralPath $folder -Force -Filter '.killed.wav.*.partial').Count -eq 1 } -Because 'the child to start its download'
            $child.Kill()
            $child.WaitForExit()
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
        @(Get-ChildItem -LiteralPath $folder -Force -Filter '.killed.wav.*.partial').Count | Should -Be 1 -Because 'a killed pwsh leaves its partial file'

        $run = Invoke-WithDeadline { $url | Save-CassetteAudio -LiteralPath $destination } -Variables @{ url = (Get-FileUrl 'ok'); destination = $destination }
        $run.Errors | Should -BeNullOrEmpty
        Get-Hash $destination | Should -Be $goodHash
        Get-ChildItem -LiteralPath $folder -Force -Filter '.killed.wav.*.partial' | Should -BeNullOrEmpty
        Test-Path -LiteralPath $other | Should -BeTrue
    }
}
