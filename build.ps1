<#
.SYNOPSIS
Builds, tests and demonstrates the Cassette module.

.DESCRIPTION
Build  compiles the solution and lays out an importable module in ./out/Cassette.
Test   builds, runs every xunit project and the Pester suites, prints the totals, and fails on any failure. xunit runs
       alongside Pester, and the Pester files run in -Parallel (4) worker pwsh processes, longest first
       (tests/README.md).
Demo   builds, starts the local engine on a free loopback port, generates a 30 s track and saves it under ./out/demo.
Bench  builds and runs the benchmarks in ./bench, printing one table with the baselines measured in the same run.
Package builds (tests nothing) and writes to ./out/packages: Cassette.<version>.nupkg (Install-PSResource),
       Cassette.LocalEngine.<version>.nupkg (the cassette-engine .NET tool) and Cassette-<version>.zip (runbooks).
Clean  removes ./out and the build folders.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Test: how many Pester test files run at once, each in its own pwsh; 1 runs them one after another.
    [ValidateRange(1, 64)]
    [int] $Parallel = 4
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'Cassette'
$engineOut = Join-Path $out 'engine'
$solution = Join-Path $root 'CassetteModule.sln'
$pesterVersion = '5.7.1'
Import-Module (Join-Path $root 'build/LocalEngine.psm1') -Force
Import-Module (Join-Path $root 'build/Packaging.psm1') -Force

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    # Cassette.psd1 is the one version source: the assemblies are stamped from it.
    (Import-PowerShellDataFile (Join-Path $root 'Cassette.psd1')).ModuleVersion
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Write-Host "Building Cassette $version ($Configuration)" -ForegroundColor Cyan
    Invoke-Dotnet build $solution -c $Configuration -nologo --verbosity quiet "-p:Version=$version"

    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $moduleOut | Out-Null
    $assemblies = Join-Path $root "src/Cassette/bin/$Configuration/netstandard2.0"
    Copy-Item (Join-Path $assemblies '*.dll') $moduleOut
    Copy-Item (Join-Path $root 'Cassette.psd1'), (Join-Path $root 'src/Cassette/Cassette.Format.ps1xml') $moduleOut
    $help = Join-Path $root 'src/Cassette/en-US'
    if (Test-Path $help) { Copy-Item $help $moduleOut -Recurse }
    # about_Cassette's error ids come from the catalogue in the assembly, read in a pwsh of its own.
    $pwsh = @(Get-PwshCommand)
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'build/New-CassetteErrorHelp.ps1') -ModulePath $moduleOut
    if ($LASTEXITCODE -ne 0) { throw "build/New-CassetteErrorHelp.ps1 failed with exit code $LASTEXITCODE." }
    Add-ModuleShippedFile -Root $root -ModuleFolder $moduleOut

    Invoke-Dotnet publish (Join-Path $root 'src/Cassette.LocalEngine') -c $Configuration --no-build -nologo --verbosity quiet -o $engineOut
    Write-Host "Module: $moduleOut" -ForegroundColor Green
}

function Get-PesterModulePath {
    # Pester comes from NuGet (pinned in tests/TestDependencies), not from the PowerShell Gallery.
    Invoke-Dotnet restore (Join-Path $root 'tests/TestDependencies') -nologo --verbosity quiet
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = (& dotnet nuget locals global-packages --list) -join "`n"
        if ($line -match 'global-packages:\s*(.+)') { $packages = $Matches[1].Trim() }
    }
    $manifest = Join-Path $packages "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $pesterVersion was not restored to $manifest." }
    $manifest
}

function Get-TrxTotals([string] $folder) {
    $totals = [ordered]@{ Total = 0; Passed = 0; Failed = 0 }
    foreach ($file in Get-ChildItem $folder -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -LiteralPath $file.FullName -Raw)).TestRun.ResultSummary.Counters
        $totals.Total += [int]$counters.total
        $totals.Passed += [int]$counters.passed
        $totals.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout
    }
    [pscustomobject]$totals
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }

    # Every process the tests start (pwsh workers and child pwsh, engines, test hosts) inherits this, and only these:
    # the run is CPU-bound and its processes are short-lived, so the JIT's profile-guided tier (instrumented code, then
    # a rejit) costs more than it gains; about 9% of a Pester file's CPU (tests/README.md). Users' defaults are untouched.
    $runtimeSettings = @{ DOTNET_TieredPGO = '0' }
    $previousSettings = @{}
    foreach ($name in $runtimeSettings.Keys) {
        $previousSettings[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $runtimeSettings[$name])
    }

    # xunit runs in the background while Pester runs: both spend most of their time waiting, not computing. Its
    # output is captured and printed whole once it ends, so it does not interleave with Pester's.
    Write-Host 'Running xunit tests (in the background) and Pester tests' -ForegroundColor Cyan
    $xunitStart = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @('test', $solution, '-c', $Configuration, '--no-build', '-nologo', '--logger', 'trx',
            '--logger', 'console;verbosity=normal', '--results-directory', (Join-Path $results 'xunit'))) { $xunitStart.ArgumentList.Add($argument) }
    $xunitStart.UseShellExecute = $false
    $xunitStart.RedirectStandardOutput = $true
    $xunitStart.RedirectStandardError = $true
    $xunitRun = [Diagnostics.Process]::Start($xunitStart)
    $xunitOutput = $xunitRun.StandardOutput.ReadToEndAsync()
    $xunitErrors = $xunitRun.StandardError.ReadToEndAsync()
    try {
        $pester = Get-PesterModulePath
        $pwsh = @(Get-PwshCommand)
        $pesterSummary = Join-Path $results 'pester-summary.json'
        $runner = Join-Path $root 'tests/Pester/Invoke-PesterSuite.ps1'
        $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $runner,
            '-PesterPath', $pester, '-ModulePath', $moduleOut, '-EnginePath', (Join-Path $engineOut 'Cassette.LocalEngine.dll'),
            '-SummaryPath', $pesterSummary, '-ResultsPath', (Join-Path $results 'pester.xml'), '-Parallel', $Parallel,
            '-DurationsPath', (Join-Path $out 'pester-durations.json'))
        & $pwsh[0] @pwshArgs
        $pesterExit = $LASTEXITCODE
        $pesterTotals = if (Test-Path $pesterSummary) { Get-Content $pesterSummary -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Total = 0; Passed = 0; Failed = 1 } }

        # In one-second slices, so that a Ctrl+C (which PowerShell cannot deliver inside a .NET wait) is seen.
        while (-not $xunitRun.WaitForExit(1000)) { }
        Write-Host ''
        Write-Host 'xunit tests' -ForegroundColor Cyan
        $xunitOutput.Result.TrimEnd(), $xunitErrors.Result.TrimEnd() | Where-Object { $_ } | Out-Host
        $xunitExit = $xunitRun.ExitCode
    }
    finally {
        # Ctrl+C during Pester: the background xunit run ends with it.
        if (-not $xunitRun.HasExited) { $xunitRun.Kill($true) }
        foreach ($name in $previousSettings.Keys) { [Environment]::SetEnvironmentVariable($name, $previousSettings[$name]) }
    }
    $xunit = Get-TrxTotals (Join-Path $results 'xunit')

    Write-Host ''
    Write-Host ('xunit : {0} passed, {1} failed, {2} total' -f $xunit.Passed, $xunit.Failed, $xunit.Total)
    $skipped = if ($pesterTotals.PSObject.Properties['Skipped'] -and $pesterTotals.Skipped) { ", $($pesterTotals.Skipped) skipped (their reasons are above)" } else { '' }
    Write-Host ('Pester: {0} passed, {1} failed, {2} total{3}' -f $pesterTotals.Passed, $pesterTotals.Failed, $pesterTotals.Total, $skipped)
    $failed = $xunitExit -ne 0 -or $pesterExit -ne 0 -or $xunit.Failed -gt 0 -or $pesterTotals.Failed -gt 0 -or $xunit.Total -eq 0 -or $pesterTotals.Total -eq 0
    if ($failed) {
        Write-Host 'TESTS FAILED' -ForegroundColor Red
        exit 1
    }
    Write-Host 'ALL TESTS PASSED' -ForegroundColor Green
}

function Invoke-Demo {
    Invoke-Build
    $demoOut = Join-Path $out 'demo'
    New-Item -ItemType Directory -Path $demoOut -Force | Out-Null
    $engine = Start-CassetteLocalEngine -EnginePath (Join-Path $engineOut 'Cassette.LocalEngine.dll')
    try {
        Write-Host "Local engine listening on $($engine.Url)" -ForegroundColor Cyan
        # A child pwsh imports the built module exactly as a user would.
        $pwsh = @(Get-PwshCommand)
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'build/Invoke-Demo.ps1') `
            -ModulePath $moduleOut -QueueUrl $engine.Url -ApiKey $engine.ApiKey -OutputFolder $demoOut
        if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
    }
    finally {
        Stop-CassetteLocalEngine $engine
    }
}

function Invoke-Bench {
    Invoke-Build
    $pwsh = @(Get-PwshCommand)
    $table = Join-Path $out 'bench-results.md'
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'bench/Invoke-Benchmarks.ps1') `
        -ModulePath $moduleOut -EnginePath (Join-Path $engineOut 'Cassette.LocalEngine.dll') -ResultPath $table
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed with exit code $LASTEXITCODE." }
}

function Invoke-Package {
    Invoke-Build
    Write-Host 'Packaging' -ForegroundColor Cyan
    $packages = New-CassettePackage -Root $root -ModuleFolder $moduleOut -Configuration $Configuration -OutputFolder (Join-Path $out 'packages') -NoBuild
    foreach ($package in $packages) { Write-Host "Package: $($package.FullName)" -ForegroundColor Green }
}

function Invoke-Clean {
    foreach ($path in @($out) + (Get-ChildItem $root -Directory -Recurse -Include bin, obj | Where-Object FullName -NotMatch 'node_modules')) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'Clean' { Invoke-Clean }
}
