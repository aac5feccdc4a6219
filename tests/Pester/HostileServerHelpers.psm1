# The hostile fake queue (tests/HostileServer) for the suites that need a server to misbehave in ways the local engine
# does not: it is compiled once per process and runs on background threads of the test's own pwsh.

Set-StrictMode -Version 3
$sources = Get-ChildItem (Join-Path $PSScriptRoot '../HostileServer') -Filter *.cs | ForEach-Object FullName

function Start-HostileServer {
    <# Starts the server on two free loopback ports; -ApiKey is the key it searches every request for. #>
    param([Parameter(Mandatory)] [string] $ApiKey)
    if (-not ('Cassette.TestServers.HostileServer' -as [type])) { Add-Type -Path $sources }
    $server = [Cassette.TestServers.HostileServer]::new($ApiKey)
    $server.Start()
    $server
}

function Stop-HostileServer {
    param($Server)
    if ($Server) { $Server.Dispose() }
}

Export-ModuleMember -Function Start-HostileServer, Stop-HostileServer
