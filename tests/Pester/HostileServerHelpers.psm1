# The hostile fake queue (tests/HostileServer) for the suites that need a server to misbehave in ways the local engine
# does not: compiled once and kept (build/CompiledTypes.psm1), it runs on background threads of the test's own pwsh.

Set-StrictMode -Version 3
$sources = Get-ChildItem (Join-Path $PSScriptRoot '../HostileServer') -Filter *.cs | ForEach-Object FullName
Import-Module (Join-Path $PSScriptRoot '../../build/CompiledTypes.psm1')

function Start-HostileServer {
    <# Starts the server on two free loopback ports; -ApiKey is the key it searches every request for. #>
    param([Parameter(Mandatory)] [string] $ApiKey)
    Import-CompiledType -Path $sources -TypeName 'Cassette.TestServers.HostileServer'
    $server = [Cassette.TestServers.HostileServer]::new($ApiKey)
    $server.Start()
    $server
}

function Stop-HostileServer {
    param($Server)
    if ($Server) { $Server.Dispose() }
}

Export-ModuleMember -Function Start-HostileServer, Stop-HostileServer
