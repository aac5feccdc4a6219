# Issue 13, pwsh exiting while a -AsJob job runs: the remote requests are left running on purpose (they are paid for
# and in the journal), and pwsh says so on its way out: which requests, how to collect them, and which prompts were
# never submitted. The requests are then collected from another pwsh.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Each request takes a few seconds of server time, so they are still running when the child pwsh exits.
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests what happens when pwsh exits, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--ProcessingSeconds', '6')
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'pwsh exits while a -AsJob job runs' {
    BeforeEach { Use-TestEngine -Engine $engine -JournalPath (Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl") }
    AfterEach { Clear-TestEnvironment }

    It 'leaves the submitted requests running, says which and how to collect them, and names the prompts never sent' {
        $script = @"
Import-Module '$(Get-TestModulePath)'
`$job = 'exit one', 'exit two', 'exit three' | New-CassetteTrack -Duration 10 -AsJob -ThrottleLimit 2
while (@(Get-CassetteJob).Count -lt 2) { Start-Sleep -Milliseconds 50 }
exit 0
"@
        $pwsh = @(Get-PwshCommand)
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $stdout = Join-Path $TestDrive 'exit-stdout.txt'
        $stderr = Join-Path $TestDrive 'exit-stderr.txt'
        $child = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) `
            -RedirectStandardOutput $stdout -RedirectStandardError $stderr -PassThru
        try { $child.WaitForExit(120000) | Should -BeTrue -Because 'pwsh exits promptly even with a job running' }
        finally { if (-not $child.HasExited) { $child.Kill() } }

        $said = (Get-Content -LiteralPath $stdout, $stderr -Raw) -join "`n"
        $submitted = @(Get-CassetteJob)
        $submitted.Count | Should -Be 2
        foreach ($request in $submitted) { $said | Should -Match ([regex]::Escape($request.RequestId)) }
        $said | Should -Match ([regex]::Escape('Get-CassetteJob'))
        $said | Should -Match 'exit three' -Because 'the prompt that was never submitted is named'

        # Left running on purpose: none was cancelled, and both are collected from here.
        foreach ($request in $submitted) { (Get-CassetteJob -RequestId $request.RequestId).Status | Should -BeIn 'InQueue', 'InProgress', 'Completed' }
        $saved = Get-CassetteJob | Get-CassetteJob -Wait | Save-CassetteAudio -Path $TestDrive -PassThru
        @($saved.RequestId | Sort-Object) | Should -Be @($submitted.RequestId | Sort-Object)
    }
}
