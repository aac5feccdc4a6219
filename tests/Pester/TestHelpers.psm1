# Shared set-up for the Pester suites: the module under test and a private local engine per suite.

Set-StrictMode -Version 3
$repositoryRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $repositoryRoot 'build/LocalEngine.psm1') -Force

function Get-TestModulePath {
    if ($env:CASSETTE_TEST_MODULE_PATH) { return $env:CASSETTE_TEST_MODULE_PATH }
    Join-Path $repositoryRoot 'out/Cassette'
}

function Start-TestEngine {
    param([string[]] $ArgumentList = @())
    $enginePath = if ($env:CASSETTE_TEST_ENGINE_PATH) { $env:CASSETTE_TEST_ENGINE_PATH } else { Join-Path $repositoryRoot 'out/engine/Cassette.LocalEngine.dll' }
    Start-CassetteLocalEngine -EnginePath $enginePath -ArgumentList $ArgumentList
}

Export-ModuleMember -Function Get-TestModulePath, Start-TestEngine, Stop-CassetteLocalEngine, Get-PwshCommand
