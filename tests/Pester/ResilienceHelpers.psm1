# Helpers for the resilience suites (Faults, HostileInput, Security): the engine's fault-injection control API,
# and running a command in its own runspace under a deadline so that no case can hang the suite.

Set-StrictMode -Version 3

function Invoke-EngineFaultApi {
    param([Parameter(Mandatory)] $Engine, [string] $Method = 'Get', [string] $Path = '', $Body)
    $parameters = @{
        Method  = $Method
        Uri     = "$($Engine.Url)_engine/faults$Path"
        Headers = @{ Authorization = "Key $($Engine.ApiKey)" }
    }
    if ($null -ne $Body) {
        $parameters.ContentType = 'application/json'
        $parameters.Body = $Body | ConvertTo-Json -Depth 5 -Compress
    }
    Invoke-RestMethod @parameters
}

function Add-EngineFault {
    <# Adds a fault rule (docs/local-engine.md, "Fault injection") and returns it with its id. #>
    param([Parameter(Mandatory)] $Engine, [Parameter(Mandatory)] [hashtable] $Rule)
    Invoke-EngineFaultApi -Engine $Engine -Method Post -Body $Rule
}

function Add-EngineCallCounter {
    <# A rule that changes nothing (a 1 ms delay, firing forever) and so counts the calls to a target. #>
    param([Parameter(Mandatory)] $Engine, [Parameter(Mandatory)] [string] $Target)
    Add-EngineFault -Engine $Engine -Rule @{ target = $Target; kind = 'delay'; delayMs = 1; count = 0 }
}

function Get-EngineFaultFired {
    <# How often a rule fired. #>
    param([Parameter(Mandatory)] $Engine, [Parameter(Mandatory)] $Rule)
    (Invoke-EngineFaultApi -Engine $Engine -Path "/$($Rule.id)").fired
}

function Clear-EngineFault {
    param([Parameter(Mandatory)] $Engine)
    $null = Invoke-EngineFaultApi -Engine $Engine -Method Delete
}

function Enter-EngineTest {
    <# Points the module at the engine with a fresh journal; returns that journal's path and a new empty folder. #>
    param([Parameter(Mandatory)] $Engine, [Parameter(Mandatory)] [string] $TestDrive)
    $journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
    Use-TestEngine -Engine $Engine -JournalPath $journal
    $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
    $journal, $folder.FullName
}

function Get-NonLoopbackAddress {
    <# An IPv4 address of this machine that is not loopback, or nothing when it has none. #>
    [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces() |
        Where-Object OperationalStatus -EQ 'Up' | ForEach-Object { $_.GetIPProperties().UnicastAddresses.Address } |
        Where-Object { $_.AddressFamily -eq 'InterNetwork' -and -not [ipaddress]::IsLoopback($_) } | Select-Object -First 1
}

function Invoke-WithDeadline {
    <#
    Runs a script in a runspace of its own with the module loaded and every stream captured. The deadline only keeps
    a hang from stalling the suite (it is never what a test asserts): a command still running then is stopped and
    reported as a hang. Returns the output, the error records (terminating ones included) and the other streams.
    #>
    param(
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [hashtable] $Variables = @{},
        [int] $TimeoutSec = 120
    )
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddCommand('Import-Module').AddArgument((Get-TestModulePath)).Invoke()
        $ps.Commands.Clear()
        foreach ($name in $Variables.Keys) { $ps.Runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
        $ps.Runspace.SessionStateProxy.SetVariable('VerbosePreference', 'Continue')
        $null = $ps.AddScript($ScriptBlock.ToString())
        $async = $ps.BeginInvoke()
        if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))) {
            $ps.Stop()
            throw "The command was still running after $TimeoutSec s: some wait has no deadline. $ScriptBlock"
        }
        $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        $output = $null
        try { $output = $ps.EndInvoke($async) }
        catch {
            $inner = $_.Exception
            while ($inner -and -not ($inner -is [System.Management.Automation.IContainsErrorRecord])) { $inner = $inner.InnerException }
            if ($inner) { $errors.Add($inner.ErrorRecord) } else { throw }
        }
        foreach ($record in $ps.Streams.Error) { $errors.Insert(0, $record) }
        [pscustomobject]@{
            Output      = @($output | ForEach-Object { $_ })
            Errors      = @($errors)
            Error       = $errors | Select-Object -First 1
            Verbose     = @($ps.Streams.Verbose | ForEach-Object Message)
            Warnings    = @($ps.Streams.Warning | ForEach-Object Message)
            Information = @($ps.Streams.Information)
            Debug       = @($ps.Streams.Debug | ForEach-Object Message)
        }
    }
    finally { $ps.Dispose() }
}

Export-ModuleMember -Function Enter-EngineTest, Add-EngineFault, Add-EngineCallCounter, Get-EngineFaultFired, Clear-EngineFault, Get-NonLoopbackAddress, Invoke-WithDeadline
