# Issue 13, replies: a status is accepted only when it names the request that was asked about, and the urls a reply
# hands out are used only when they are http(s); neither ever becomes an UnexpectedError or reaches the journal.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileServerHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:key = 'reply-key-' + [guid]::NewGuid().ToString('N')
    $script:server = Start-HostileServer -ApiKey $key
}

AfterAll {
    Clear-TestEnvironment
    Stop-HostileServer $script:server
}

Describe 'Replies from a hostile queue' {
    BeforeEach {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        $script:folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))).FullName
        $env:FAL_KEY = $key
        $env:CASSETTE_JOURNAL_PATH = $journal
    }
    AfterEach { Clear-TestEnvironment }

    It 'a status naming another request is InvalidResponse for <Name>' -ForEach @(
        @{ Name = 'Get-CassetteJob -RequestId'; Cmdlet = 'GetCassetteJobCommand'; Run = { Get-CassetteJob -RequestId 'mine' -QueueUrl $url } }
        @{ Name = 'Get-CassetteJob -Wait'; Cmdlet = 'GetCassetteJobCommand'; Run = { Get-CassetteJob -RequestId 'mine' -QueueUrl $url -Wait } }
        @{ Name = 'New-CassetteTrack'; Cmdlet = 'NewCassetteTrackCommand'; Run = { New-CassetteTrack 'whose request' 10 -QueueUrl $url } }
    ) {
        $url = $server.ScenarioUrl('other-id~' + [guid]::NewGuid().ToString('N'))
        $run = Invoke-WithDeadline $Run -Variables @{ url = $url }
        $run.Error.FullyQualifiedErrorId | Should -Be "InvalidResponse,Cassette.Cmdlets.$Cmdlet"
        $run.Error.Exception.Message | Should -Match 'someone-elses-request'
        $run.Error.TargetObject.RequestId | Should -Not -Be 'someone-elses-request'
        $run.Output | Should -BeNullOrEmpty -Because 'no track may carry another request'
    }

    It 'file:// urls in a submission are not used and not journaled; the request completes' {
        $url = $server.ScenarioUrl('file-urls~' + [guid]::NewGuid().ToString('N'))
        $run = Invoke-WithDeadline { New-CassetteTrack 'odd urls' 10 -QueueUrl $url | Save-CassetteAudio -Path $folder -PassThru } -Variables @{ url = $url; folder = $folder }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Size | Should -Be $server.GoodWav.Length
        Get-Content -LiteralPath $journal -Raw | Should -Not -Match 'file:'
    }

    It 'an old journal entry with a file:// status_url is waited for through the queue' {
        $url = $server.ScenarioUrl('ok~' + [guid]::NewGuid().ToString('N'))
        $line = [ordered]@{ v = 1; event = 'submitted'; request_id = 'old-one'; model = 'CassetteAI/music-generator'; prompt = 'p'; duration = 10; queue_url = $url
            status_url = 'file:///etc/passwd'; response_url = 'file:///etc/passwd'; cancel_url = 'file:///etc/passwd'; at = '2026-01-01T00:00:00Z' } | ConvertTo-Json -Compress
        Set-Content -LiteralPath $journal -Value $line
        $run = Invoke-WithDeadline { Get-CassetteJob | Get-CassetteJob -Wait | Save-CassetteAudio -Path $folder -PassThru } -Variables @{ folder = $folder }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].RequestId | Should -Be 'old-one'
        $run.Output[0].Size | Should -Be $server.GoodWav.Length
    }
}
