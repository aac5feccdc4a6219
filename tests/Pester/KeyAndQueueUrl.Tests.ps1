# Issue 13, keys and queue addresses: a key that would inject a header or cannot travel in one is refused from every
# source before anything is sent, naming the source and never the key; a queue address carrying a user name and
# password is refused without repeating the password anywhere. A fake queue (tests/HostileServer) counts what arrives.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileServerHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:server = Start-HostileServer -ApiKey 'id:Zq9XvKey'
    $script:cmdlets = @{ New = 'NewCassetteTrackCommand'; Get = 'GetCassetteJobCommand'; Stop = 'StopCassetteJobCommand'; Save = 'SaveCassetteAudioCommand' }
}

AfterAll {
    Clear-TestEnvironment
    Stop-HostileServer $script:server
}

Describe 'A key that cannot travel in a header is refused before anything is sent' {
    BeforeEach {
        Clear-TestEnvironment
        $script:tag = 'ok~' + [guid]::NewGuid().ToString('N')
        $script:journal = Join-Path $TestDrive "journal-$tag.jsonl"
        $env:CASSETTE_JOURNAL_PATH = $journal
        $env:CASSETTE_QUEUE_URL = $server.ScenarioUrl($tag)
    }
    AfterEach { Clear-TestEnvironment }

    It '<Cmdlet>: <Name> from <Source>' -ForEach @(
        @{ Cmdlet = 'New'; Name = 'CR LF and an injected header'; Source = '-ApiKey'; Key = "id:Zq9XvKey`r`nX-Injected: yes"; Run = { New-CassetteTrack 'x' 10 -ApiKey $key } }
        @{ Cmdlet = 'New'; Name = 'a bare LF'; Source = '-ApiKey'; Key = "id:Zq9XvKey`nX-Injected: yes"; Run = { New-CassetteTrack 'x' 10 -ApiKey $key } }
        @{ Cmdlet = 'New'; Name = 'a NUL'; Source = '-ApiKey'; Key = "id:Zq9Xv`0Key"; Run = { New-CassetteTrack 'x' 10 -ApiKey $key } }
        @{ Cmdlet = 'New'; Name = 'a tab'; Source = '-ApiKey'; Key = "id:Zq9Xv`tKey"; Run = { New-CassetteTrack 'x' 10 -ApiKey $key } }
        @{ Cmdlet = 'New'; Name = 'non-ASCII letters'; Source = '-ApiKey'; Key = 'id:Zq9XvKey-ü€'; Run = { New-CassetteTrack 'x' 10 -ApiKey $key } }
        @{ Cmdlet = 'New'; Name = 'CR LF in a SecureString'; Source = '-ApiKey'; Key = "id:Zq9XvKey`r`nX-Injected: yes"; Run = { New-CassetteTrack 'x' 10 -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) } }
        @{ Cmdlet = 'New'; Name = 'CR LF'; Source = 'FAL_KEY'; Key = "id:Zq9XvKey`r`nX-Injected: yes"; Run = { $env:FAL_KEY = $key; New-CassetteTrack 'x' 10 } }
        @{ Cmdlet = 'New'; Name = 'non-ASCII letters'; Source = 'FAL_KEY'; Key = 'id:Zq9XvKey-ü€'; Run = { $env:FAL_KEY = $key; New-CassetteTrack 'x' 10 } }
        @{ Cmdlet = 'New'; Name = 'CR LF in the secret'; Source = 'FAL_KEY_SECRET'; Key = "Zq9XvKey`r`nX-Injected: yes"; Run = { $env:FAL_KEY_ID = 'id'; $env:FAL_KEY_SECRET = $key; New-CassetteTrack 'x' 10 } }
        @{ Cmdlet = 'New'; Name = 'a LF in the id'; Source = 'FAL_KEY_ID'; Key = "id`nX-Injected: yes"; Run = { $env:FAL_KEY_ID = $key; $env:FAL_KEY_SECRET = 'Zq9XvKey'; New-CassetteTrack 'x' 10 } }
        @{ Cmdlet = 'Get'; Name = 'CR LF'; Source = '-ApiKey'; Key = "id:Zq9XvKey`r`nX-Injected: yes"; Run = { Get-CassetteJob -RequestId 'r1' -ApiKey $key } }
        @{ Cmdlet = 'Stop'; Name = 'CR LF'; Source = 'FAL_KEY'; Key = "id:Zq9XvKey`r`nX-Injected: yes"; Run = { $env:FAL_KEY = $key; Stop-CassetteJob -RequestId 'r1' } }
        @{ Cmdlet = 'Save'; Name = 'non-ASCII letters'; Source = '-ApiKey'; Key = 'id:Zq9XvKey-ü€'; Run = { [pscustomobject]@{ RequestId = 'r1'; QueueUrl = $env:CASSETTE_QUEUE_URL; Status = 'InQueue' } | Save-CassetteAudio -Path $TestDrive -ApiKey $key } }
    ) {
        $run = Invoke-WithDeadline $Run -Variables @{ key = $Key; TestDrive = $TestDrive }
        $run.Error.FullyQualifiedErrorId | Should -Be "InvalidApiKey,Cassette.Cmdlets.$($cmdlets[$Cmdlet])"
        $run.Error.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Error.Exception.Message | Should -Match ([regex]::Escape($Source)) -Because 'the error says where the key came from'
        $run.Error.Exception.Message | Should -Not -Match 'Zq9Xv' -Because 'the key itself is never shown'
        ($run.Error | Out-String) + ($run.Warnings -join ' ') + ($run.Verbose -join ' ') | Should -Not -Match 'Zq9Xv'
        $server.CallsTo("s/$tag") | Should -Be 0 -Because 'nothing may be sent with a key that would be cut or reshaped on the wire'
        $server.InjectedHeaders | Should -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty
    }

    It 'a valid key with spaces around it is trimmed and sent' {
        $run = Invoke-WithDeadline { Get-CassetteJob -RequestId 'r1' -ApiKey '  id:Zq9XvKey  ' }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Status | Should -Be 'Completed'
        $server.CallsTo("s/$tag") | Should -BeGreaterThan 0
        $server.Leaks | Should -BeNullOrEmpty
    }
}

Describe 'A queue address with a user name and password' {
    BeforeEach {
        Clear-TestEnvironment
        $script:tag = 'ok~' + [guid]::NewGuid().ToString('N')
        $script:journal = Join-Path $TestDrive "journal-$tag.jsonl"
        $env:CASSETTE_JOURNAL_PATH = $journal
        $env:FAL_KEY = 'id:Zq9XvKey'
        $script:withPassword = $server.ScenarioUrl($tag) -replace '^http://', 'http://user:pa55word@'
    }
    AfterEach { Clear-TestEnvironment }

    It '<Cmdlet> refuses it in <Source> without repeating the password' -ForEach @(
        @{ Cmdlet = 'New'; Source = '-QueueUrl'; Id = 'ParameterArgumentValidationError'; Run = { New-CassetteTrack 'x' 10 -QueueUrl $url } }
        @{ Cmdlet = 'New'; Source = 'CASSETTE_QUEUE_URL'; Id = 'InvalidQueueUrl'; Run = { $env:CASSETTE_QUEUE_URL = $url; New-CassetteTrack 'x' 10 } }
        @{ Cmdlet = 'Get'; Source = '-QueueUrl'; Id = 'ParameterArgumentValidationError'; Run = { Get-CassetteJob -RequestId 'r1' -QueueUrl $url } }
        @{ Cmdlet = 'Stop'; Source = 'CASSETTE_QUEUE_URL'; Id = 'InvalidQueueUrl'; Run = { $env:CASSETTE_QUEUE_URL = $url; Stop-CassetteJob -RequestId 'r1' } }
        @{ Cmdlet = 'Save'; Source = '-QueueUrl'; Id = 'ParameterArgumentValidationError'; Run = { [pscustomobject]@{ RequestId = 'r1'; QueueUrl = $url; Status = 'InQueue' } | Save-CassetteAudio -Path $TestDrive } }
    ) {
        $run = Invoke-WithDeadline $Run -Variables @{ url = $withPassword; TestDrive = $TestDrive }
        $run.Error.FullyQualifiedErrorId | Should -Be "$Id,Cassette.Cmdlets.$($cmdlets[$Cmdlet])"
        $run.Error.Exception.Message | Should -Match 'user name or password'
        # Everything the module writes; (a piped object's own properties come back as the error's TargetObject, which is the caller's input).
        $everything = ($run.Error | Out-String -Width 500) + $run.Error.Exception.ToString() + $run.Error.ErrorDetails + ($run.Warnings -join ' ') + ($run.Verbose -join ' ')
        $everything | Should -Not -Match 'pa55word'
        $server.CallsTo("s/$tag") | Should -Be 0
        if (Test-Path -LiteralPath $journal) { Get-Content -LiteralPath $journal -Raw | Should -Not -Match 'pa55word' }
    }

    It 'an old journal entry that carries one is listed without it' {
        $line = @{ v = 1; event = 'submitted'; request_id = 'old-entry'; model = 'CassetteAI/music-generator'; prompt = 'p'; duration = 10; queue_url = $withPassword; at = '2026-01-01T00:00:00Z' } | ConvertTo-Json -Compress
        Set-Content -LiteralPath $journal -Value $line
        $run = Invoke-WithDeadline { Get-CassetteJob; Get-CassetteJob | Format-List * | Out-String }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].RequestId | Should -Be 'old-entry'
        $run.Output[0].QueueUrl.UserInfo | Should -BeNullOrEmpty
        ($run.Output | Out-String) | Should -Not -Match 'pa55word'
    }
}
