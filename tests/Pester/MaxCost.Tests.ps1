# New-CassetteTrack -MaxCost: one invocation's estimated spend is capped; the first item past the cap is never submitted.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'RunbookHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResilienceHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests the spending cap, not the music.
    $script:engine = Start-TestEngine -LoopedAudio -ArgumentList @('--EnableFaultInjection', 'true', '--Workers', '2', '--ProcessingSeconds', '1')
    $script:command = (Get-Command New-CassetteTrack).ImplementingType.FullName
}

AfterAll {
    Clear-TestEnvironment
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'New-CassetteTrack -MaxCost' {
    BeforeEach {
        $script:journal, $script:folder = Enter-EngineTest -Engine $engine -TestDrive $TestDrive
        $script:submittedBefore = (Get-EngineCallCount -Engine $engine).submit
    }
    AfterEach {
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue
        Clear-TestEnvironment
    }

    It 'refuses the first item that would pass the cap, before submitting it, while the earlier ones complete' {
        # 30 s is one cent: two fit under $0.025, the third would make $0.03.
        $tracks = @('one', 'two', 'three', 'four' | New-CassetteTrack -Duration 30 -MaxCost 0.025 -ErrorAction SilentlyContinue -ErrorVariable refused)
        @($tracks.Prompt | Sort-Object) | Should -Be @('one', 'two')
        $refused.Count | Should -BeGreaterOrEqual 1
        $refused[0].FullyQualifiedErrorId | Should -Be "MaxCostExceeded,$command"
        $refused[0].TargetObject | Should -Be 'three'
        $refused[0].Exception.Message | Should -Match '\$0\.02\b' -Because 'the error gives the running total'
        $refused[0].Exception.Message | Should -Match '\$0\.025' -Because 'the error gives the cap'
        $refused[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $refused.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be "MaxCostExceeded,$command" -Because 'later items are refused too, never submitted out of order'

        $journaled = @(Get-CassetteJob)
        @($journaled.Prompt | Sort-Object) | Should -Be @('one', 'two') -Because 'the journal shows nothing submitted past the cap'
        $journaled.Status | Sort-Object -Unique | Should -Be 'Completed'
        (Get-EngineCallCount -Engine $engine).submit - $submittedBefore | Should -Be 2
    }

    It 'lets the earlier items finish even when a script stops on errors' {
        $ErrorActionPreference = 'Stop'
        $caught = $null
        try { $null = 'first', 'second' | New-CassetteTrack -Duration 30 -MaxCost 0.015 -ThrottleLimit 2 }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be "MaxCostExceeded,$command"
        $journaled = @(Get-CassetteJob)
        $journaled.Prompt | Should -Be 'first'
        $journaled.Status | Should -Be 'Completed' -Because 'the refusal does not cancel what was within the budget'
    }

    It 'charges nothing for reused batch items' {
        $batch = 'budget-' + [guid]::NewGuid().ToString('N')
        $null = 'a', 'b' | New-CassetteTrack -Duration 30 -BatchName $batch
        $submitted = (Get-EngineCallCount -Engine $engine).submit
        # Both reused (free), then c ($0.01) fits a $0.01 cap exactly, and d would pass it.
        $tracks = @('a', 'b', 'c', 'd' | New-CassetteTrack -Duration 30 -BatchName $batch -MaxCost 0.01 -ErrorAction SilentlyContinue -ErrorVariable refused)
        @($tracks.Prompt | Sort-Object) | Should -Be @('a', 'b', 'c')
        $refused.Count | Should -Be 1
        $refused[0].TargetObject | Should -Be 'd'
        (Get-EngineCallCount -Engine $engine).submit - $submitted | Should -Be 1
    }

    It 'puts the refusal in the job''s errors with -AsJob, and the job hands out what fitted' {
        $job = 'in budget', 'over budget' | New-CassetteTrack -Duration 30 -MaxCost 0.01 -AsJob
        try {
            $tracks = @(Receive-Job $job -Wait -ErrorAction SilentlyContinue -ErrorVariable refused)
            $tracks.Prompt | Should -Be 'in budget'
            $refused.Count | Should -Be 1
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'MaxCostExceeded,*'
            @(Get-CassetteJob).Prompt | Should -Be 'in budget'
        }
        finally { Remove-Job $job -Force }
    }

    It '-WhatIf shows the running total against the cap and submits nothing' {
        $pwsh = @(Get-PwshCommand)
        $script = "Import-Module '$(Get-TestModulePath)'; 'one', 'two', 'three' | New-CassetteTrack -Duration 30 -MaxCost 0.025 -WhatIf"
        # What-if lines go to the host and the refusal to the error stream: the child shows both as a user would see them.
        $text = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        $text | Should -Match 'What if: Generate 30 s of audio from "one".*running total \$0\.01 of -MaxCost \$0\.025'
        $text | Should -Match 'What if: Generate 30 s of audio from "two".*running total \$0\.02 of -MaxCost \$0\.025'
        $text | Should -Not -Match 'What if: Generate 30 s of audio from "three"'
        $text | Should -Match 'refused "three" before submitting it' -Because 'the item past the cap is refused with -WhatIf too'
        Get-CassetteJob | Should -BeNullOrEmpty
        (Get-EngineCallCount -Engine $engine).submit | Should -Be $submittedBefore
    }

    It 'rejects a negative cap naming the parameter, before any request' {
        $err = { New-CassetteTrack 'x' 10 -MaxCost -1 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
        $err.Exception.Message | Should -Match 'MaxCost'
        (Get-EngineCallCount -Engine $engine).submit | Should -Be $submittedBefore
    }
}
