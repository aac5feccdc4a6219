BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Requests take a minute of server time: only a cancellation ends them early.
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests Ctrl+C and cancels, not the music.
    # Fault injection: one test makes fal refuse the cancel.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '1', '--ProcessingSeconds', '60', '--EnableFaultInjection', 'true')
    function Stop-ChildWhileGenerating([System.Diagnostics.Process] $Process) {
        <# Waits until the child's one request is generating, then sends it Ctrl+C (SIGINT); returns the request id. #>
        Wait-Until { @(Get-CassetteJob).Count -eq 1 } -Because 'the child to submit'
        $requestId = (Get-CassetteJob).RequestId
        Wait-Until { (Get-CassetteJob -RequestId $requestId).Status -eq 'InProgress' } -Because 'the request to start'
        & kill -INT $Process.Id
        $Process.WaitForExit(60000) | Should -BeTrue -Because 'Ctrl+C ends the command, whatever the cancel answers'
        $requestId
    }
    function Invoke-EngineFaults([string] $Method, [hashtable] $Rule) {
        $body = if ($Rule) { $Rule | ConvertTo-Json } else { $null }
        Invoke-RestMethod -Method $Method -Uri "$($engine.Url)_engine/faults" -Headers @{ Authorization = "Key $($engine.ApiKey)" } -ContentType 'application/json' -Body $body
    }
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Ctrl+C' {
    BeforeEach {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        Use-TestEngine -Engine $engine -JournalPath $journal
    }
    AfterEach {
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue
        Clear-TestEnvironment
    }

    It 'journals the request before waiting, then Stop() cancels it remotely and ends with no error record' {
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddCommand('New-CassetteTrack').AddParameter('Prompt', 'interrupted').AddParameter('Duration', 10)
            $async = $ps.BeginInvoke()
            Wait-Until { @(Get-CassetteJob).Count -eq 1 } -Because 'the submission to reach the journal'
            $ps.InvocationStateInfo.State | Should -Be 'Running' -Because 'the journal is written before waiting starts'
            $requestId = (Get-CassetteJob).RequestId
            Wait-Until { (Get-CassetteJob -RequestId $requestId).Status -eq 'InProgress' } -Because 'the request to start'

            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Streams.Error | Should -BeNullOrEmpty
            $stopped = { $ps.EndInvoke($async) } | Should -Throw -PassThru
            $stopped.Exception.InnerException | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])

            # fal's cancel answers CANCELLATION_REQUESTED: a running request ends when its runner notices.
            Wait-Until { (Get-CassetteJob -RequestId $requestId).Status -eq 'Cancelled' } -Because 'the remote request to be cancelled'
            (Get-CassetteJob -RequestId $requestId).ErrorType | Should -Be 'client_cancelled'
            (Get-CassetteJob).Status | Should -Be 'Cancelled'
        }
        finally { $ps.Dispose() }
    }

    It 'ends a child pwsh on SIGINT (Ctrl+C) promptly, cancelling its request, with no error record' {
        # A process started in the background by a shell without job control (`cmd &` in a script, nohup) ignores
        # SIGINT, and every child inherits that and keeps ignoring it, as POSIX asks: no Ctrl+C can reach such a child.
        if ($IsLinux -and (Test-SignalIgnored -Signal 2)) {
            Set-ItResult -Skipped -Because 'this test run ignores SIGINT (it was started in the background without job control), so its children cannot be sent Ctrl+C'
            return
        }
        $errors = Join-Path $TestDrive 'child-errors.txt'
        $script = "Import-Module '$(Get-TestModulePath)'; try { New-CassetteTrack 'sigint' 10 } finally { `$Error.Count | Set-Content -LiteralPath '$errors' }"
        $process = Start-ChildPwsh $script -OutputPath (Join-Path $TestDrive 'child-output.txt')
        try {
            $requestId = Stop-ChildWhileGenerating $process
            Get-Content -LiteralPath $errors | Should -Be 0 -Because 'a stop is not an error'
            (Get-CassetteJob -RequestId $requestId).Status | Should -Be 'Cancelled'
        }
        finally { if (-not $process.HasExited) { $process.Kill() } }
    }

    It 'still shows, after Ctrl+C, that fal refused the cancel and the request may be billed (-WarningAction <Action>)' -ForEach @(
        @{ Action = 'Continue'; Shown = $true }
        @{ Action = 'SilentlyContinue'; Shown = $false }
    ) {
        # PowerShell refuses writes to a stopping pipeline, so this warning went nowhere in the foreground before.
        if ($IsLinux -and (Test-SignalIgnored -Signal 2)) {
            Set-ItResult -Skipped -Because 'this test run ignores SIGINT (it was started in the background without job control), so its children cannot be sent Ctrl+C'
            return
        }
        $null = Invoke-EngineFaults Post @{ target = 'cancel'; kind = 'http'; status = 503; detail = 'refused for the test'; count = 0 }
        $output = Join-Path $TestDrive "child-output-$Action.txt"
        $errors = Join-Path $TestDrive "child-errors-$Action.txt"
        $script = "Import-Module '$(Get-TestModulePath)'; try { New-CassetteTrack 'sigint refused' 10 -WarningAction $Action } finally { `$Error.Count | Set-Content -LiteralPath '$errors' }"
        $process = Start-ChildPwsh $script -OutputPath $output
        try {
            $requestId = Stop-ChildWhileGenerating $process
            Get-Content -LiteralPath $errors | Should -Be 0 -Because 'a stop is not an error'
            $console = (@(Get-Content -LiteralPath $output, "$output.err") -join "`n")
            if ($Shown) {
                $console | Should -Match "Request $requestId could not be cancelled \(.*refused for the test.*\); it may still run and be billed"
                $console | Should -Match "Stop-CassetteJob -RequestId $requestId retries"
            }
            else {
                $console | Should -Not -Match 'could not be cancelled' -Because '-WarningAction SilentlyContinue silences it'
            }
            (Get-CassetteJob -RequestId $requestId).Status | Should -Be 'InProgress' -Because 'fal refused the cancel'
        }
        finally {
            if (-not $process.HasExited) { $process.Kill() }
            Invoke-EngineFaults Delete
        }
    }

    It 'reports RequestCancelled in a window whose request another window cancelled' {
        $blocker = New-CassetteTrack 'blocker' 10 -NoWait
        $script = "Import-Module '$(Get-TestModulePath)'; New-CassetteTrack 'child' 10"
        $process = Start-ChildPwsh $script -OutputPath (Join-Path $TestDrive 'cancelled-child-output.txt')
        try {
            Wait-Until { @(Get-CassetteJob).Count -eq 2 } -Because 'the child to submit'
            $child = Get-CassetteJob | Where-Object Prompt -EQ 'child'
            $child | Stop-CassetteJob
            $process.WaitForExit(60000) | Should -BeTrue
            $process.ExitCode | Should -Not -Be 0 -Because 'the child reports that its request was cancelled'
            (Get-CassetteJob -RequestId $child.RequestId).Status | Should -Be 'Cancelled'
        }
        finally {
            if (-not $process.HasExited) { $process.Kill() }
            $blocker | Stop-CassetteJob -WarningAction SilentlyContinue
        }
    }
}
