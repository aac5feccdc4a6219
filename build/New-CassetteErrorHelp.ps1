<#
.SYNOPSIS
Writes the error-id list of about_Cassette from the module's error catalogue (Cassette.CassetteErrors).

.DESCRIPTION
The catalogue in src/Cassette/CassetteError.cs is the one place an error id is defined. This script loads the built
module's assembly, renders one line per entry (id, category, meaning) and puts them where the source topic
(src/Cassette/en-US/about_Cassette.help.txt) has the line {{ErrorCatalogue}}, writing the result into the built
module only. build.ps1 Build runs it in a pwsh of its own, so the assembly is never loaded into the build's process.

.PARAMETER ModulePath
The built module (default ./out/Cassette); its en-US/about_Cassette.help.txt is rewritten.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Cassette'),
    [string] $SourcePath = (Join-Path $PSScriptRoot '../src/Cassette/en-US/about_Cassette.help.txt')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$marker = '{{ErrorCatalogue}}'
$null = [System.Reflection.Assembly]::LoadFrom((Join-Path $ModulePath 'Cassette.dll'))
$lines = foreach ($entry in [Cassette.CassetteErrors]::All) {
    # Two fixed columns like the rest of the topic; an id too long for its column gets a line of its own.
    $id = '        ' + $entry.Id
    $rest = '{0,-21}{1}' -f $entry.Category, $entry.Meaning
    if ($entry.Id.Length -gt 20) { $id; (' ' * 29) + $rest } else { '{0,-29}{1}' -f $id, $rest }
}
$source = Get-Content -LiteralPath $SourcePath
if (@($source | Where-Object { $_.Trim() -eq $marker }).Count -ne 1) { throw "$SourcePath must have exactly one line '$marker'." }
$topic = foreach ($line in $source) { if ($line.Trim() -eq $marker) { $lines } else { $line } }
$target = Join-Path $ModulePath 'en-US/about_Cassette.help.txt'
Set-Content -LiteralPath $target -Value $topic -Encoding utf8
Write-Verbose "Wrote $(@([Cassette.CassetteErrors]::All).Count) error ids into $target"
