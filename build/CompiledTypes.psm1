# C# sources the build scripts and test suites load with Add-Type (build/EngineLauncher.cs, tests/HostileServer), compiled
# once and kept as an assembly. Compiling in each process cost 3-5 s of CPU there (Roslyn runs as plain IL in the
# .NET-tool pwsh, so most of it is JIT), and the test run's workers, runner and build each paid it; loading the kept
# assembly takes milliseconds. The assembly is named after a hash of the sources and of the runtime, so an edit or
# another pwsh compiles afresh, never loads a stale copy.

Set-StrictMode -Version 3

function Import-CompiledType {
    <#
    .SYNOPSIS
    Makes TypeName available, from the kept assembly of Path (compiled there first if it is missing).
    #>
    param(
        [Parameter(Mandatory)] [string[]] $Path,
        [Parameter(Mandatory)] [string] $TypeName,
        [string] $CacheFolder = (Join-Path $PSScriptRoot '../out/compiled-types')
    )
    if ($TypeName -as [type]) { return }
    $hasher = [Security.Cryptography.IncrementalHash]::CreateHash([Security.Cryptography.HashAlgorithmName]::SHA256)
    $hasher.AppendData([Text.Encoding]::UTF8.GetBytes("$($PSVersionTable.PSVersion) $([Environment]::Version)"))
    foreach ($file in $Path | Sort-Object) { $hasher.AppendData([IO.File]::ReadAllBytes($file)) }
    $hash = [BitConverter]::ToString($hasher.GetHashAndReset(), 0, 8).Replace('-', '')
    $hasher.Dispose()
    $CacheFolder = [IO.Path]::GetFullPath($CacheFolder)
    $assembly = Join-Path $CacheFolder "$TypeName-$hash.dll"
    if (-not (Test-Path -LiteralPath $assembly)) {
        $null = [IO.Directory]::CreateDirectory($CacheFolder)
        # Test workers start at once: each compiles to a name of its own and the first to finish puts it in place.
        $own = Join-Path $CacheFolder "$TypeName-$hash-$PID-$([guid]::NewGuid().ToString('N')).dll"
        Add-Type -Path $Path -OutputAssembly $own -OutputType Library
        try { [IO.File]::Move($own, $assembly) }
        catch [IO.IOException] { Remove-Item -LiteralPath $own -ErrorAction SilentlyContinue }
    }
    Add-Type -Path $assembly
}

Export-ModuleMember -Function Import-CompiledType
