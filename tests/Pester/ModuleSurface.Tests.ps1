BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:cmdlets = 'New-CassetteTrack', 'Get-CassetteJob', 'Stop-CassetteJob', 'Save-CassetteAudio', 'Clear-CassetteJournal'
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'The module surface' {
    It 'exports exactly its five cmdlets, each declaring its output types' {
        (Get-Command -Module Cassette).Name | Sort-Object | Should -Be ($cmdlets | Sort-Object)
        foreach ($name in $cmdlets) { (Get-Command $name).OutputType | Should -Not -BeNullOrEmpty -Because "$name declares [OutputType]" }
    }

    It 'asks for confirmation at the same impact as before the attributes left the default unsaid' {
        # Medium is PowerShell's default and is not written in the [Cmdlet] attributes: each named argument there is a
        # reflection call at import (docs/module.md, Import). Save-CassetteAudio alone is Low; Get-CassetteJob changes nothing.
        $expected = @{ 'New-CassetteTrack' = 'Medium'; 'Stop-CassetteJob' = 'Medium'; 'Clear-CassetteJournal' = 'Medium'; 'Save-CassetteAudio' = 'Low' }
        foreach ($name in $expected.Keys) {
            $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command $name))
            $metadata.SupportsShouldProcess | Should -BeTrue -Because "$name supports -WhatIf and -Confirm"
            "$($metadata.ConfirmImpact)" | Should -Be $expected[$name] -Because "$name's confirm impact"
        }
        [System.Management.Automation.CommandMetadata]::new((Get-Command Get-CassetteJob)).SupportsShouldProcess | Should -BeFalse
    }

    It 'never references Microsoft.Bcl.AsyncInterfaces, which PowerShell 7.4 ships too old (docs/module.md)' {
        $references = [Cassette.CassetteTrack].Assembly.GetReferencedAssemblies().Name
        $references | Should -Contain 'System.Net.ServerSentEvents'
        $references | Should -Not -Contain 'Microsoft.Bcl.AsyncInterfaces'
        Join-Path (Get-TestModulePath) 'System.Management.Automation.dll' | Should -Not -Exist
    }

    It 'completes -Model with the CassetteAI endpoints' {
        $line = 'New-CassetteTrack -Model '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'CassetteAI/music-generator'
        $line = 'Get-CassetteJob -Model cassetteai/so'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'cassetteai/sound-effects-generator'
    }

    It 'has output types that are immutable and print as their request id' {
        foreach ($type in [Cassette.CassetteTrack], [Cassette.CassetteRequest], [Cassette.CassetteAudioFile], [Cassette.CassetteLogEntry]) {
            $type.IsSealed | Should -BeTrue
            $type.GetProperties() | Where-Object CanWrite | Should -BeNullOrEmpty -Because "$type is immutable"
        }
        $track = [Cassette.CassetteTrack]::new('req-1', 'CassetteAI/music-generator', 'p', 10, 'https://x/a.wav', $null, $null, $null, $null, 0.0033, 'https://queue.fal.run/')
        "$track" | Should -Be 'req-1'
    }

    It 'converts sensibly with ConvertTo-Json and Export-Csv: urls as text, no key' {
        $track = [Cassette.CassetteTrack]::new('req-1', 'CassetteAI/music-generator', 'p', 10, 'https://x/a.wav', 'audio/wav', 'a.wav', 44, 1.5, 0.0033, 'https://queue.fal.run/')
        $json = $track | ConvertTo-Json | ConvertFrom-Json
        $json.AudioUrl | Should -Be 'https://x/a.wav'
        $json.RequestId | Should -Be 'req-1'
        $json.EstimatedCost | Should -Be 0.0033
        $csv = Join-Path $TestDrive 'tracks.csv'
        $track | Export-Csv -LiteralPath $csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $csv
        $row.AudioUrl | Should -Be 'https://x/a.wav'
        $row.QueueUrl | Should -Be 'https://queue.fal.run/'
        $row.Duration | Should -Be '10'
    }

    It 'formats each output type with a table and a list view' {
        $views = [xml](Get-Content -LiteralPath (Join-Path (Get-TestModulePath) 'Cassette.Format.ps1xml') -Raw)
        foreach ($type in 'Cassette.CassetteTrack', 'Cassette.CassetteRequest', 'Cassette.CassetteAudioFile') {
            $mine = $views.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq $type }
            ($mine | Where-Object { $_.TableControl }) | Should -Not -BeNullOrEmpty -Because "$type has a table view"
            ($mine | Where-Object { $_.ListControl }) | Should -Not -BeNullOrEmpty -Because "$type has a list view"
        }
    }

    It 'loads its views with the first command a session runs, even under -WhatIf, and not at import' {
        # A runspace of its own, so views that earlier tests loaded into this one do not count.
        $ps = New-ModuleRunspace
        try {
            $loaded = { [bool](Microsoft.PowerShell.Utility\Get-FormatData -TypeName Cassette.CassetteRequest) }
            $ps.AddScript($loaded).Invoke() | Should -BeFalse -Because 'adding views rebuilds the whole format database, which import leaves for later'
            $ps.Commands.Clear()
            $null = $ps.AddCommand('Clear-CassetteJournal').AddParameter('JournalPath', (Join-Path $TestDrive 'views.jsonl')).AddParameter('WhatIf').Invoke()
            $ps.Commands.Clear()
            $ps.AddScript($loaded).Invoke() | Should -BeTrue
            $ps.Commands.Clear()
            $format = {
                $job = [Cassette.CassetteRequest]::new('req-2', 'CassetteAI/music-generator', 'https://queue.fal.run/', 'Failed', $null, 'p', 10, 0.0033, [datetimeoffset]::Now,
                    [datetimeoffset]::Now, $null, 'boom', 'runner_server_error', $null, $null, $null, $null, $null)
                ($job | Format-Table | Out-String), ($job | Format-List | Out-String)
            }
            $table, $list = $ps.AddScript($format).Invoke()
            $table | Should -Match 'Position'
            $table | Should -Match 'Failed'
            $list | Should -Match 'ErrorType\s+: runner_server_error'
            $list | Should -Not -Match 'StatusUrl' -Because 'the list view shows what a user needs'
        }
        finally {
            $ps.Dispose()
        }
    }

    Context 'help' {
        It '<Name> has a synopsis, a description, at least three examples and a description for every parameter' -TestCases @(
            @{ Name = 'New-CassetteTrack' }, @{ Name = 'Get-CassetteJob' }, @{ Name = 'Stop-CassetteJob' }, @{ Name = 'Save-CassetteAudio' }, @{ Name = 'Clear-CassetteJournal' }
        ) {
            $help = Get-Help $Name -Full
            $help.Synopsis | Should -Not -Match ([regex]::Escape($Name)) -Because 'the synopsis is written, not generated from the syntax'
            ($help.description.Text -join ' ').Length | Should -BeGreaterThan 100
            @($help.examples.example).Count | Should -BeGreaterOrEqual 3
            foreach ($example in $help.examples.example) { $example.code | Should -Not -BeNullOrEmpty }
            foreach ($parameter in (Get-Command $Name).Parameters.Values | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' }) {
                $documented = $help.parameters.parameter | Where-Object name -EQ $parameter.Name
                ($documented.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name is documented"
            }
            (Get-Help $Name -Full | Out-String) | Should -Match 'about_Cassette'
        }

        It 'has an about_Cassette topic that explains configuration, the journal and the error ids' {
            $about = Get-Help about_Cassette | Out-String
            $about | Should -Match 'CASSETTE_JOURNAL_PATH'
            $about | Should -Match 'FAL_KEY'
            $about | Should -Match 'ApiKeyMissing'
        }

        It 'is in step with its markdown sources and the cmdlets (build/New-CassetteHelp.ps1 regenerates it)' {
            $fresh = Join-Path $TestDrive 'Cassette.dll-Help.xml'
            $root = Join-Path $PSScriptRoot '../..'
            $pwsh = @(Get-PwshCommand)
            & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'build/New-CassetteHelp.ps1') `
                -ModulePath (Get-TestModulePath) -OutputPath $fresh
            $LASTEXITCODE | Should -Be 0
            (Get-Content -LiteralPath $fresh -Raw) | Should -BeExactly (Get-Content -LiteralPath (Join-Path $root 'src/Cassette/en-US/Cassette.dll-Help.xml') -Raw)
        }
    }
}
