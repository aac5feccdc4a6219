# Behaviour of -StartTimeoutSec, -Priority and -WebhookUrl as fal's protocol defines it, end to end against the
# engine. The headers and the query parameter themselves are checked in xunit (QueueClientTests).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests queue options, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '1', '--ProcessingSeconds', '4')
    $script:id = 'NewCassetteTrackCommand'
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Queue options, end to end' {
    BeforeEach {
        Use-TestEngine -Engine $engine -JournalPath (Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl")
    }
    AfterEach {
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue
        Clear-TestEnvironment
    }

    It 'reports StartTimeoutExpired when the request cannot start within -StartTimeoutSec' {
        $null = New-CassetteTrack 'blocker' 10 -NoWait
        $err = { New-CassetteTrack 'impatient' 10 -StartTimeoutSec 2 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "StartTimeoutExpired,Cassette.Cmdlets.$id"
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err.TargetObject.RequestId | Should -Not -BeNullOrEmpty
    }

    It 'queues -Priority Low behind Normal requests' {
        $running = New-CassetteTrack 'running' 10 -NoWait
        # The one worker must have taken 'running' before the others arrive, or it counts in their positions; on a
        # loaded machine that can take longer than two submissions (seen at load 60).
        Wait-Until { (Get-CassetteJob -RequestId $running.RequestId).Status -ne 'InQueue' } -Because "the worker to take 'running'"
        $low = New-CassetteTrack 'low' 10 -NoWait -Priority Low
        $normal = New-CassetteTrack 'normal' 10 -NoWait
        (Get-CassetteJob -RequestId $normal.RequestId).QueuePosition | Should -Be 0
        (Get-CassetteJob -RequestId $low.RequestId).QueuePosition | Should -Be 1
    }

    It 'has fal post the result to -WebhookUrl' {
        $bound = Start-LoopbackHttpListener -Path '/hook/'
        $listener, $port = $bound.Listener, $bound.Port
        try {
            $pending = $listener.GetContextAsync()
            $track = New-CassetteTrack 'hooked' 10 -WebhookUrl "http://127.0.0.1:$port/hook/"
            $pending.Wait(60000) | Should -BeTrue
            $body = [IO.StreamReader]::new($pending.Result.Request.InputStream).ReadToEnd() | ConvertFrom-Json
            $pending.Result.Response.Close()
            $body.request_id | Should -Be $track.RequestId
        }
        finally { $listener.Stop() }
    }
}
