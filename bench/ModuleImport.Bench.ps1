<#
.SYNOPSIS
Module import cost: a new pwsh that imports Cassette, against a bare `pwsh -c exit` and against a new pwsh that imports
PSResourceGet (the module PowerShell ships for installing modules), alternated and repeated.
Goals: at most 1.10 x the bare start, and never slower than importing PSResourceGet (medians).
A fourth series imports an empty manifest module (no assembly, nothing exported): the floor any module's import
stands on, printed in the note so that what Cassette itself adds can be told from Import-Module's own first-use cost.
The note also gives Import-Module's own time, measured inside fresh processes for Cassette and the empty manifest:
without the 0.6-1 s of process start around it, that difference is what Cassette adds to the floor.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string[]] $Pwsh,
    [int] $Runs = 15
)
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force

$floor = Join-Path ([IO.Path]::GetTempPath()) "cassette-bench-import-$([guid]::NewGuid().ToString('N'))"
New-Item -ItemType Directory -Path (Join-Path $floor 'EmptyManifest') -Force | Out-Null
Set-Content -LiteralPath (Join-Path $floor 'EmptyManifest/EmptyManifest.psd1') -Value ("@{ ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; " +
    "FunctionsToExport = @(); CmdletsToExport = @(); AliasesToExport = @(); VariablesToExport = @() }")
$commands = [ordered]@{
    bare          = 'exit'
    cassette      = "Import-Module '$ModulePath'; exit"
    psresourceget = 'Import-Module Microsoft.PowerShell.PSResourceGet; exit'
    empty         = "Import-Module '$(Join-Path $floor 'EmptyManifest')'; exit"
}
# The same imports timed from inside the new process: a stopwatch around Import-Module only.
$inside = @{}
$insideCommands = @{}
foreach ($name in 'cassette', 'empty') {
    $insideCommands[$name] = '$clock = [Diagnostics.Stopwatch]::StartNew(); ' + ($commands[$name] -replace '; exit$') +
        '; [Console]::Out.WriteLine($clock.Elapsed.TotalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture)); exit'
    $inside[$name] = [Collections.Generic.List[double]]::new()
}
$times = @{}
foreach ($name in $commands.Keys) { $times[$name] = [Collections.Generic.List[double]]::new() }
$pwshArgs = @($Pwsh | Select-Object -Skip 1)
try {
    # One warm-up of each so the first run does not pay for a cold disk cache.
    foreach ($command in $commands.Values) { & $Pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command $command | Out-Null }
    $count = $commands.Count
    for ($i = 0; $i -lt $Runs; $i++) {
        # Alternated, in a rotating order, so that drift on the shared machine hits every series alike.
        $names = @($commands.Keys)
        $names = @($names[($i % $count)..($count - 1)]) + @(if ($i % $count) { $names[0..(($i % $count) - 1)] })
        foreach ($name in $names) {
            $command = $commands[$name]
            $times[$name].Add((Measure-Seconds { & $Pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command $command }))
        }
        foreach ($name in $(if ($i % 2) { 'empty', 'cassette' } else { 'cassette', 'empty' })) {
            $printed = & $Pwsh[0] @pwshArgs -NoProfile -NonInteractive -Command $insideCommands[$name]
            $inside[$name].Add([double]::Parse(@($printed)[-1], [Globalization.CultureInfo]::InvariantCulture))
        }
    }
}
finally {
    Remove-Item -LiteralPath $floor -Recurse -Force -ErrorAction SilentlyContinue
}
$bare = Get-Median $times.bare
$cassette = Get-Median $times.cassette
$psResourceGet = Get-Median $times.psresourceget
$empty = Get-Median $times.empty
$ratio = $cassette / $bare
$cassetteInside = Get-Median $inside.cassette
$emptyInside = Get-Median $inside.empty
New-BenchResult -Benchmark 'module import' `
    -Measured ('{0:N0} ms with Import-Module Cassette ({1:N0} ms over)' -f ($cassette * 1000), (($cassette - $bare) * 1000)) `
    -Baseline ('{0:N0} ms bare pwsh -c exit; {1:N0} ms with Import-Module Microsoft.PowerShell.PSResourceGet' -f ($bare * 1000), ($psResourceGet * 1000)) `
    -Ratio $ratio -Goal '<= 1.10 x bare, <= PSResourceGet' -Met ($ratio -le 1.10 -and $cassette -le $psResourceGet) `
    -Note ('medians of {0} alternated runs each; vs PSResourceGet {1:N2}x; an empty manifest module alone: {2:N0} ms ({3:N3} x bare, the floor); Import-Module itself, timed inside the process: Cassette {4:N0} ms, the empty manifest {5:N0} ms ({6:+0;-0} ms)' -f $Runs, ($cassette / $psResourceGet), ($empty * 1000), ($empty / $bare), ($cassetteInside * 1000), ($emptyInside * 1000), (($cassetteInside - $emptyInside) * 1000))
