# Runs Pester test files in several pwsh processes at once for Invoke-PesterSuite.ps1 -Parallel, and merges what they
# report into the one summary, JUnit file and console output a single run gives. Most of a file's time is waiting
# (retry backoffs, Retry-After, engine processing), not CPU, so files overlap well even on 2 cores. Every file
# already starts its own engines on free loopback ports and keeps its files in its own TestDrive, so files share
# nothing but the engine-log folder, where each log is named after its file and a GUID.

Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot '../../build/LocalEngine.psm1')

function Get-SuiteFile {
    <# The *.Tests.ps1 files under the given files and folders, once each. #>
    param([Parameter(Mandatory)] [string[]] $Path)
    @(foreach ($item in $Path) {
            $resolved = Get-Item -LiteralPath $item -ErrorAction Stop
            if ($resolved.PSIsContainer) { Get-ChildItem -LiteralPath $resolved.FullName -Filter '*.Tests.ps1' -File -Recurse }
            else { $resolved }
        }) | Sort-Object FullName -Unique
}

function Get-SuiteFileOrder {
    <#
    Longest file first (the classic longest-processing-time schedule), so the long files do not start last and leave
    the other workers idle at the end. Durations come from the last run (DurationsPath) or, on a fresh clone, from the
    checked-in table measured on a 2-core machine; a file in neither (a new one) counts as 10 s.
    #>
    param([Parameter(Mandatory)] [IO.FileInfo[]] $File, [string] $DurationsPath)
    $known = @{}
    $table = Join-Path $PSScriptRoot 'SuiteDurations.json'
    foreach ($source in @($table, $DurationsPath)) {
        if (-not $source -or -not (Test-Path -LiteralPath $source)) { continue }
        $durations = Get-Content -LiteralPath $source -Raw | ConvertFrom-Json
        foreach ($property in $durations.PSObject.Properties) { $known[$property.Name] = [double]$property.Value }
    }
    $File | Sort-Object @{ Expression = { $name = $_.Name; if ($known.ContainsKey($name)) { $known[$name] } else { 10.0 } }; Descending = $true }, Name
}

function Start-SuiteWorker {
    <# One pwsh running one test file through Invoke-PesterSuite.ps1 (not parallel), its output captured to files. #>
    param(
        [Parameter(Mandatory)] [IO.FileInfo] $File,
        [Parameter(Mandatory)] [string] $WorkFolder,
        [Parameter(Mandatory)] [hashtable] $SuiteParameters
    )
    $name = [IO.Path]::GetFileNameWithoutExtension($File.Name)
    $prefix = Join-Path $WorkFolder $name
    $pwsh = @(Get-PwshCommand)
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1'),
        '-Path', $File.FullName, '-Parallel', '1', '-SummaryPath', "$prefix.summary.json", '-ResultsPath', "$prefix.xml")
    foreach ($key in $SuiteParameters.Keys) { $arguments += @("-$key", [string]$SuiteParameters[$key]) }
    $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($argument in $arguments) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::new()
    $process.StartInfo = $info
    $null = $process.Start()
    [pscustomobject]@{
        Name        = $name
        File        = $File
        Process     = $process
        Output      = $process.StandardOutput.ReadToEndAsync()
        ErrorOutput = $process.StandardError.ReadToEndAsync()
        Exited      = $process.WaitForExitAsync()
        Clock       = [Diagnostics.Stopwatch]::StartNew()
        Summary     = "$prefix.summary.json"
        Results     = "$prefix.xml"
    }
}

function Read-SuiteWorker {
    <# A finished worker's summary; a worker that wrote none (it crashed) counts as one failure. #>
    param([Parameter(Mandatory)] $Worker)
    if (Test-Path -LiteralPath $Worker.Summary) { Get-Content -LiteralPath $Worker.Summary -Raw | ConvertFrom-Json }
    else { [pscustomobject]@{ Total = 0; Passed = 0; Skipped = 0; Failed = 1 } }
}

function Merge-JUnitResult {
    <# One JUnit document from the workers' files: every testsuite element, with the root totals summed. #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Path, [Parameter(Mandatory)] [string] $Destination)
    $merged = [xml]'<?xml version="1.0" encoding="utf-8"?><testsuites name="Pester" tests="0" errors="0" failures="0" disabled="0" time="0" />'
    $root = $merged.DocumentElement
    $totals = [ordered]@{ tests = 0; errors = 0; failures = 0; disabled = 0; time = 0.0 }
    foreach ($file in $Path) {
        if (-not (Test-Path -LiteralPath $file)) { continue }
        $document = [xml](Get-Content -LiteralPath $file -Raw)
        foreach ($name in @($totals.Keys)) {
            $value = $document.DocumentElement.GetAttribute($name)
            if ($value) { $totals[$name] += [double]::Parse($value, [Globalization.CultureInfo]::InvariantCulture) }
        }
        foreach ($suite in $document.DocumentElement.SelectNodes('testsuite')) { $null = $root.AppendChild($merged.ImportNode($suite, $true)) }
    }
    foreach ($name in $totals.Keys) { $root.SetAttribute($name, ([double]$totals[$name]).ToString([Globalization.CultureInfo]::InvariantCulture)) }
    $merged.Save($Destination)
}

function Invoke-ParallelSuite {
    <#
    Runs every file in its own pwsh, at most ThrottleLimit at a time, longest first. Each file's output is printed
    whole when it ends (not interleaved), with its engine-log tails when it failed, as a single run prints them.
    Returns the merged totals and each file's seconds.
    #>
    param(
        [Parameter(Mandatory)] [IO.FileInfo[]] $File,
        [Parameter(Mandatory)] [int] $ThrottleLimit,
        [Parameter(Mandatory)] [string] $WorkFolder,
        [Parameter(Mandatory)] [hashtable] $SuiteParameters,
        [Parameter(Mandatory)] [string] $ResultsPath
    )
    $null = New-Item -ItemType Directory -Path $WorkFolder -Force
    $queue = [Collections.Generic.Queue[IO.FileInfo]]::new([IO.FileInfo[]]$File)
    $running = [Collections.Generic.List[object]]::new()
    $finished = [Collections.Generic.List[object]]::new()
    $totals = [ordered]@{ Total = 0; Passed = 0; Skipped = 0; Failed = 0 }
    $durations = [ordered]@{}
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Write-Host ("Running {0} test files, {1} at a time, longest first" -f $File.Count, $ThrottleLimit) -ForegroundColor Cyan
    try {
        while ($queue.Count -gt 0 -or $running.Count -gt 0) {
            while ($queue.Count -gt 0 -and $running.Count -lt $ThrottleLimit) {
                $running.Add((Start-SuiteWorker -File $queue.Dequeue() -WorkFolder $WorkFolder -SuiteParameters $SuiteParameters))
            }
            # Wake when a worker exits. The one-second slices only let PowerShell see a Ctrl+C, which it cannot
            # deliver inside a .NET wait; the finally below then ends every worker.
            $exits = [Threading.Tasks.Task[]]@($running | ForEach-Object Exited)
            do { $index = [Threading.Tasks.Task]::WaitAny($exits, 1000) } while ($index -lt 0)
            $worker = $running[$index]
            $running.RemoveAt($index)
            $worker.Clock.Stop()
            $seconds = [math]::Round($worker.Clock.Elapsed.TotalSeconds, 1)
            $durations["$($worker.Name).ps1"] = $seconds
            $summary = Read-SuiteWorker $worker
            foreach ($name in @($totals.Keys)) { if ($summary.PSObject.Properties[$name]) { $totals[$name] += [int]$summary.$name } }
            $finished.Add($worker)

            $colour = if ($summary.Failed -gt 0) { 'Red' } else { 'Cyan' }
            Write-Host ''
            Write-Host ("===== {0}: {1} passed, {2} failed, {3} skipped in {4} s ({5} of {6} files done, {7:0} s in) =====" -f $worker.Name,
                $summary.Passed, $summary.Failed, $summary.Skipped, $seconds, $finished.Count, $File.Count, $clock.Elapsed.TotalSeconds) -ForegroundColor $colour
            # A process the file left running keeps the output pipe open after the worker exited: a leak, so a failure,
            # and the run goes on without that output rather than hang.
            if ([Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]@($worker.Output, $worker.ErrorOutput), [TimeSpan]::FromSeconds(120))) {
                $worker.Output.Result.TrimEnd() | Out-Host
                $errors = $worker.ErrorOutput.Result.TrimEnd()
                if ($errors) { $errors | Out-Host }
            }
            else {
                Write-Host "$($worker.Name) left a process running that still holds its output open (its output is lost)" -ForegroundColor Red
                $totals.Failed += 1
            }
            if ($worker.Process.ExitCode -ne 0 -and $summary.Failed -eq 0) {
                # A worker that failed without saying which test: a failure all the same.
                Write-Host "$($worker.Name) ended with exit code $($worker.Process.ExitCode)" -ForegroundColor Red
                $totals.Failed += 1
            }
            $worker.Process.Dispose()
        }
    }
    finally {
        # Ctrl+C or a runner error: no worker (nor its engines) is left behind.
        foreach ($worker in $running) {
            if (-not $worker.Process.HasExited) { $worker.Process.Kill($true) }
            $worker.Process.Dispose()
        }
    }
    $clock.Stop()
    Merge-JUnitResult -Path @($finished | ForEach-Object Results) -Destination $ResultsPath
    $sum = ($durations.Values | Measure-Object -Sum).Sum
    Write-Host ''
    Write-Host ("Pester wall time {0:0} s for {1:0} s of files ({2:0.0}x); slowest: {3}" -f $clock.Elapsed.TotalSeconds, $sum, ($sum / [math]::Max(1, $clock.Elapsed.TotalSeconds)),
        (($durations.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 5 | ForEach-Object { "$($_.Key -replace '\.Tests\.ps1$') $($_.Value) s" }) -join ', '))
    [pscustomobject]@{ Totals = $totals; Durations = $durations }
}

Export-ModuleMember -Function Get-SuiteFile, Get-SuiteFileOrder, Invoke-ParallelSuite
