BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:engine = Start-TestEngine -ArgumentList @('--Workers', '1', '--ProcessingSeconds', '3')
    $script:id = 'StopCassetteJobCommand'
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'Stop-CassetteJob' {
    BeforeEach {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        Use-TestEngine -Engine $engine -JournalPath $journal
    }
    AfterEach { Clear-TestEnvironment }

    It 'cancels a queued request from the pipeline and says so with -PassThru' {
        $running = New-CassetteTrack 'running' 10 -NoWait
        $queued = New-CassetteTrack 'queued' 10 -NoWait
        $after = $queued | Stop-CassetteJob -PassThru
        $after.RequestId | Should -Be $queued.RequestId
        $after.Status | Should -Be 'Cancelled'
        (Get-CassetteJob -RequestId $queued.RequestId).ErrorType | Should -Be 'client_cancelled'
        (Get-CassetteJob | Where-Object RequestId -EQ $queued.RequestId).Status | Should -Be 'Cancelled'
        $null = $running | Stop-CassetteJob
    }

    It 'cancels a running request by id' {
        $job = New-CassetteTrack 'running now' 10 -NoWait
        Wait-Until { (Get-CassetteJob -RequestId $job.RequestId).Status -eq 'InProgress' } -Because 'the request to start'
        Stop-CassetteJob -RequestId $job.RequestId
        Wait-Until { (Get-CassetteJob -RequestId $job.RequestId).Status -ne 'InProgress' } -Because 'the cancel to land'
        (Get-CassetteJob -RequestId $job.RequestId).Status | Should -Be 'Cancelled'
    }

    It 'warns, and changes nothing, for a request that already completed' {
        $track = New-CassetteTrack 'done' 10
        $track | Stop-CassetteJob -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'already completed'
        (Get-CassetteJob -RequestId $track.RequestId).Status | Should -Be 'Completed'
    }

    It 'reports an unknown request as RequestNotFound' {
        $err = { Stop-CassetteJob -RequestId 'nothing-here' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "RequestNotFound,Cassette.Cmdlets.$id"
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'cancels nothing with -WhatIf' {
        $job = New-CassetteTrack 'spared' 10 -NoWait
        $job | Stop-CassetteJob -WhatIf
        ($job | Get-CassetteJob -Wait).RequestId | Should -Be $job.RequestId
    }
}
