# The error catalogue (Cassette.CassetteErrors) against the help and the tests: every id is documented in about_Cassette
# (generated from the catalogue at build time) and raised and asserted by at least one test. The second check reads
# the test sources for an assertion on the id, in the forms the suites use; mentioning an id anywhere else (a comment,
# a message) does not count, and this file is not read.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:entries = @([Cassette.CassetteErrors]::All | ForEach-Object { @{ Id = $_.Id } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $root = Join-Path $PSScriptRoot '../..'
    $sources = @(Get-ChildItem (Join-Path $root 'tests/Pester') -Filter '*.Tests.ps1' | Where-Object Name -NE 'ErrorCatalogue.Tests.ps1') +
        @(Get-ChildItem (Join-Path $root 'tests/Cassette.Tests') -Filter '*.cs' -Recurse)
    $script:testText = ($sources | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }) -join "`n"
    $script:about = Get-Help about_Cassette | Out-String

    function Test-IdAsserted([string] $Id) {
        $patterns = @(
            # Pester: $err.FullyQualifiedErrorId | Should -Be 'Id,...' / -BeLike 'Id,*', and the test-case tables' Id = 'Id'.
            "FullyQualifiedErrorId\s*\|\s*Should\s+-Be\w*\s+['""]$Id[,'""]"
            "\bId\s*=\s*'$Id'"
            "FullyQualifiedErrorId\s*-(eq|like|match)\s+['""]\^?$Id[,'""*]"
            # xunit: Assert.Equal("Id", error.ErrorId) or (..."Id,Cassette...", record.FullyQualifiedErrorId), Assert.Same(CassetteErrors.Id, ...).
            "Assert\.(Equal|StartsWith)\(""$Id[,""][^)]*(ErrorId|FullyQualifiedErrorId)"
            "Assert\.Same\(CassetteErrors\.$Id\b"
        )
        foreach ($pattern in $patterns) { if ($testText -match $pattern) { return $true } }
        $false
    }
}

Describe 'The error catalogue' {
    It 'has the ids scripts rely on' {
        $entries.Count | Should -BeGreaterThan 30
        [Cassette.CassetteErrors]::ApiKeyMissing.Id | Should -Be 'ApiKeyMissing'
    }

    It '<Id> is listed in about_Cassette' -ForEach $entries {
        $about | Should -Match "(?m)^\s+$Id\b"
    }

    It '<Id> is raised and asserted by a test' -ForEach $entries {
        Test-IdAsserted $Id | Should -BeTrue -Because "some test must make the module raise $Id and assert its id"
    }

    It 'finds an assertion only where there is one' {
        # The check itself must be able to fail: a made-up id is in no assertion.
        Test-IdAsserted 'NoSuchErrorId' | Should -BeFalse
    }
}
