# Shared set-up for the Pester suites: the module under test and a private local engine per suite.

Set-StrictMode -Version 3
$repositoryRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $repositoryRoot 'build/LocalEngine.psm1') -Force

function Get-TestModulePath {
    if ($env:CASSETTE_TEST_MODULE_PATH) { return $env:CASSETTE_TEST_MODULE_PATH }
    Join-Path $repositoryRoot 'out/Cassette'
}

function Start-TestEngine {
    <#
    Starts a private engine for the calling test file. Under Invoke-PesterSuite its log goes to the run's engine-log
    folder, named after the test file, and stays there: the suite prints it when a test of that file fails.
    -LoopedAudio starts it with --BenchmarkAudio: every track is one 10 s clip, rendered once per engine, looped to the
    requested length (still a 44.1 kHz, 16-bit stereo WAV of exactly that length), so a request costs a file write
    instead of a render (about 0.5 s of CPU for 10 s of audio, 10 s of CPU for 180 s). For files that test the
    protocol, jobs, the journal or files, not the music; the server time (--ProcessingSeconds...) is unchanged.
    #>
    param([string[]] $ArgumentList = @(), [string] $ApiKey = ('local-' + [guid]::NewGuid().ToString('N')), [switch] $LoopedAudio)
    if ($LoopedAudio) { $ArgumentList = @($ArgumentList) + @('--BenchmarkAudio', 'true') }
    $enginePath = if ($env:CASSETTE_TEST_ENGINE_PATH) { $env:CASSETTE_TEST_ENGINE_PATH } else { Join-Path $repositoryRoot 'out/engine/Cassette.LocalEngine.dll' }
    $logging = @{}
    if ($env:CASSETTE_TEST_ENGINE_LOGS) {
        $caller = (Get-PSCallStack | Where-Object { $_.ScriptName -like '*.Tests.ps1' } | Select-Object -First 1)
        $logging.LogFolder = $env:CASSETTE_TEST_ENGINE_LOGS
        $logging.LogName = if ($caller) { [IO.Path]::GetFileNameWithoutExtension($caller.ScriptName) } else { 'engine' }
    }
    Start-CassetteLocalEngine -EnginePath $enginePath -ArgumentList $ArgumentList -ApiKey $ApiKey @logging
}

function Use-TestEngine {
    <# Points the module at an engine through its environment variables, and the journal into the test drive. #>
    param([Parameter(Mandatory)] $Engine, [Parameter(Mandatory)] [string] $JournalPath)
    $env:CASSETTE_QUEUE_URL = $Engine.Url
    $env:FAL_KEY = $Engine.ApiKey
    $env:CASSETTE_JOURNAL_PATH = $JournalPath
}

function Clear-TestEnvironment {
    Remove-Item Env:CASSETTE_QUEUE_URL, Env:FAL_KEY, Env:FAL_KEY_ID, Env:FAL_KEY_SECRET, Env:CASSETTE_JOURNAL_PATH -ErrorAction SilentlyContinue
}

function New-TestFolder {
    <# A fresh, empty folder under Root (the test's $TestDrive), so each test sees only the files it made. #>
    param([Parameter(Mandatory)] [string] $Root)
    $path = Join-Path $Root ([guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $path
    $path
}

function Assert-NoPartialFile {
    <# No half-written (.partial) file is ever left in Folder, whatever the test did there. #>
    param([Parameter(Mandatory)] [string] $Folder)
    Get-ChildItem -LiteralPath $Folder -Force -Filter '*.partial' | Should -BeNullOrEmpty -Because 'no half-written file is ever left'
}

function Wait-Until {
    <# Polls a condition; the timeout only prevents a hang, it is not what the test asserts. #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $TimeoutSec = 60, [string] $Because = 'the condition')
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSec s waiting for $Because." }
        Start-Sleep -Milliseconds 100
    }
}

function New-ModuleRunspace {
    <# A separate PowerShell instance with the module loaded, to run a command asynchronously and Stop() it like Ctrl+C. #>
    $ps = [powershell]::Create()
    $null = $ps.AddCommand('Import-Module').AddArgument((Get-TestModulePath)).Invoke()
    $ps.Commands.Clear()
    $ps
}

function Test-SignalIgnored {
    <# True when this process ignores the signal (Linux: the SigIgn mask in /proc/self/status), as its children will. #>
    param([Parameter(Mandatory)] [int] $Signal)
    $line = Get-Content -LiteralPath /proc/self/status | Where-Object { $_ -like 'SigIgn:*' }
    $mask = [Convert]::ToUInt64(($line -split '\s+')[1], 16)
    ($mask -band ([uint64]1 -shl ($Signal - 1))) -ne 0
}

function Start-ChildPwsh {
    <#
    Starts another pwsh running a script (passed encoded, so no quoting is lost); it inherits the environment. With
    -OutputPath its console output (stdout and stderr, in two files: OutputPath and OutputPath.err) is kept for the test.
    #>
    param([Parameter(Mandatory)] [string] $Script, [string] $OutputPath)
    $pwsh = @(Get-PwshCommand)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $redirect = @{}
    if ($OutputPath) { $redirect = @{ RedirectStandardOutput = $OutputPath; RedirectStandardError = "$OutputPath.err" } }
    Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) -PassThru -NoNewWindow @redirect
}

# Ports held closed by Get-RefusedLoopbackUrl, for the life of this pwsh.
$heldPorts = [System.Collections.Generic.List[System.Net.Sockets.Socket]]::new()

function Get-RefusedLoopbackUrl {
    <#
    An http://127.0.0.1:<port>/ address that refuses every connection, for as long as this pwsh runs. A socket bound to
    the port but never listening makes the refusal, and holds the port: test files run at once in other processes,
    and their engines and listeners (bound to port 0) can never be handed this port, as they could a probed-and-freed one.
    #>
    param([string] $Path = '')
    $socket = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::InterNetwork, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Tcp)
    $socket.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $heldPorts.Add($socket)
    "http://127.0.0.1:$($socket.LocalEndPoint.Port)/$($Path.TrimStart('/'))"
}

function Start-LoopbackHttpListener {
    <#
    A started HttpListener on a free loopback port, with its port and address. HttpListener cannot bind port 0, so a port
    is probed first; another process (a test file running at once) may take it before the listener binds, and then
    a fresh port is tried.
    #>
    param([string] $Path = '/')
    for ($attempt = 1; ; $attempt++) {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        try { $port = $probe.LocalEndpoint.Port } finally { $probe.Stop() }
        $listener = [System.Net.HttpListener]::new()
        $url = "http://127.0.0.1:$port/$($Path.Trim('/'))$(if ($Path.Trim('/')) { '/' })"
        $listener.Prefixes.Add($url)
        try {
            $listener.Start()
            return [pscustomobject]@{ Listener = $listener; Port = $port; Url = $url }
        }
        catch {
            $listener.Close()
            if ($attempt -ge 20) { throw }
        }
    }
}

Export-ModuleMember -Function Get-TestModulePath, Start-TestEngine, Stop-CassetteLocalEngine, Get-PwshCommand, Test-SignalIgnored, Use-TestEngine, Clear-TestEnvironment,
    New-TestFolder, Assert-NoPartialFile, Wait-Until, New-ModuleRunspace, Start-ChildPwsh, Get-RefusedLoopbackUrl, Start-LoopbackHttpListener
