# The module's folders are its layers (docs/module.md, "Layers"): arrows point down only, namespaces match folders, and
# the layers below the cmdlets and jobs know nothing of PowerShell. Read from the sources, comments left out.
BeforeDiscovery {
    # What each folder may use, besides the root (namespace Cassette: output types, the error catalogue, the exceptions).
    $script:allowed = @(
        @{ Folder = 'Cmdlets'; Uses = @('Jobs', 'Lifecycle', 'Journal', 'Protocol', 'Download', 'Http', 'Errors', 'Audio', 'Validation') }
        @{ Folder = 'Jobs'; Uses = @('Lifecycle', 'Journal', 'Protocol', 'Download', 'Http', 'Errors') }
        @{ Folder = 'Lifecycle'; Uses = @('Journal', 'Protocol', 'Download', 'Http') }
        @{ Folder = 'Journal'; Uses = @('Protocol') }
        @{ Folder = 'Protocol'; Uses = @('Http') }
        @{ Folder = 'Download'; Uses = @('Http', 'Audio') }
        @{ Folder = 'Http'; Uses = @() }
        @{ Folder = 'Errors'; Uses = @() }
        @{ Folder = 'Audio'; Uses = @() }
        @{ Folder = 'Validation'; Uses = @('Protocol') }
    )
    $script:powerShellFree = @('Lifecycle', 'Journal', 'Protocol', 'Download', 'Http', 'Audio') | ForEach-Object { @{ Folder = $_ } }
}

BeforeAll {
    $script:source = Join-Path $PSScriptRoot '../../src/Cassette'
    $script:layers = 'Cmdlets', 'Jobs', 'Lifecycle', 'Journal', 'Protocol', 'Download', 'Http', 'Errors', 'Audio', 'Validation'

    function Get-Code([string] $Folder) {
        Get-ChildItem (Join-Path $source $Folder) -Filter '*.cs' | ForEach-Object {
            $lines = Get-Content -LiteralPath $_.FullName | Where-Object { $_ -notmatch '^\s*//' }
            [pscustomobject]@{ Name = $_.Name; Code = ($lines -join "`n") }
        }
    }
}

Describe 'The layers' {
    It '<Folder> uses only the layers below it' -ForEach $allowed {
        $files = @(Get-Code $Folder)
        $files.Count | Should -BeGreaterThan 0
        foreach ($file in $files) {
            $used = [regex]::Matches($file.Code, "(?:using\s+Cassette\.|\bCassette\.|(?<![\w.]))($($layers -join '|'))\.[A-Z]") |
                ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -ne $Folder } | Sort-Object -Unique
            foreach ($layer in $used) { $layer | Should -BeIn $Uses -Because "$Folder/$($file.Name) uses $layer" }
        }
    }

    It '<Folder> has namespace Cassette.<Folder>' -ForEach $allowed {
        foreach ($file in Get-Code $Folder) {
            $file.Code | Should -Match "(?m)^namespace Cassette\.$Folder\s*$" -Because "$Folder/$($file.Name) is in the folder of its namespace"
        }
    }

    It '<Folder> knows nothing of PowerShell' -ForEach $powerShellFree {
        foreach ($file in Get-Code $Folder) {
            $file.Code | Should -Not -Match 'System\.Management\.Automation|ErrorCategory|ErrorRecord|PSObject|\bCmdlet\b' -Because "$Folder/$($file.Name) is below the cmdlets"
        }
    }

    It 'compares error ids as catalogue entries, never as strings' {
        $code = Get-ChildItem $source -Filter '*.cs' -Recurse | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }
        ($code -join "`n") | Should -Not -MatchExactly 'ErrorId\s*==|==\s*"[A-Z][A-Za-z]+"\s*\)|new CassetteException\("'
    }
}
