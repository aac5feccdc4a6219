# Runs Pester test files in several pwsh processes at once for Invoke-PesterSuite.ps1 -Parallel, and merges what they
# report into the one summary, JUnit file and console output a single run gives. Most of a file's time is waiting
# (retry backoffs, Retry-After, engine processing), not CPU, so files overlap well even on 2 cores. Every file
# already starts its own engines on free loopback ports and keeps its files in its own TestDrive, so files share
# nothing but the engine-log folder, where each log is named after its file and a GUID.

Set-StrictMode -Version 3
Import-Module (Join-Path $PSScriptRoot '../../build/LocalEngine.psm1')
. (Join-Path $PSScriptRoot 'SuiteFileRun.ps1')

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
    <#
    One pwsh running Invoke-SuiteWorker.ps1: it runs the files written to its standard input one after another and
    ends each file's output with a marker line. Its output is read a line at a time (PendingLine), so no pipe fills.
    #>
    param(
        [Parameter(Mandatory)] [string] $WorkFolder,
        [Parameter(Mandatory)] [hashtable] $SuiteParameters,
        [Parameter(Mandatory)] [string] $DoneMarker
    )
    $pwsh = @(Get-PwshCommand)
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-SuiteWorker.ps1'),
        '-WorkFolder', $WorkFolder, '-DoneMarker', $DoneMarker)
    foreach ($key in $SuiteParameters.Keys) { $arguments += @("-$key", [string]$SuiteParameters[$key]) }
    $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($argument in $arguments) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::new()
    $process.StartInfo = $info
    $null = $process.Start()
    [pscustomobject]@{
        Process     = $process
        PendingLine = $process.StandardOutput.ReadLineAsync()
        ErrorOutput = $process.StandardError.ReadToEndAsync()
        Output      = [Text.StringBuilder]::new()
        Current     = $null
        Clock       = [Diagnostics.Stopwatch]::new()
        Files       = 0
        CpuSeconds  = 0.0
        ExitSeenAt  = $null
    }
}

function Send-SuiteFile {
    <# Hands the worker its next file. #>
    param([Parameter(Mandatory)] $Worker, [Parameter(Mandatory)] [IO.FileInfo] $File)
    $Worker.Current = $File
    $Worker.Files++
    $null = $Worker.Output.Clear()
    $Worker.Clock.Restart()
    $Worker.Process.StandardInput.WriteLine($File.FullName)
    $Worker.Process.StandardInput.Flush()
}

function Close-SuiteWorker {
    <# No file left: the worker's CPU so far (every file it ran, its engines, its own start), then its input closes and it ends. #>
    param([Parameter(Mandatory)] $Worker)
    try { $Worker.CpuSeconds = Get-ProcessTreeCpuSecond -ProcessId $Worker.Process.Id } catch { $Worker.CpuSeconds = 0.0 }
    $Worker.Current = $null
    $Worker.Process.StandardInput.Close()
}

function Read-SuiteFileSummary {
    <# A file's summary as its worker wrote it; a file with none (its worker died) counts as one failure. #>
    param([Parameter(Mandatory)] [string] $Path)
    if (Test-Path -LiteralPath $Path) { Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json }
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
    Runs the files in ThrottleLimit worker pwsh processes, each taking the next file (longest first) when it finishes
    one, so a pwsh starts and Pester loads once per worker, not once per file. Each file's output is printed whole
    when it ends (not interleaved), with its engine-log tails when it failed, as a single run prints them.
    Returns the merged totals, each file's seconds, and each file's cost (seconds, CPU seconds, engine starts).
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
    $workers = [Collections.Generic.List[object]]::new()
    $results = [Collections.Generic.List[string]]::new()
    $totals = [ordered]@{ Total = 0; Passed = 0; Skipped = 0; Failed = 0 }
    $durations = [ordered]@{}
    $cost = [ordered]@{}
    $workerCpu = 0.0
    $progress = @{ FilesDone = 0 }
    # A line no test prints: the end of one file's output in a worker's stream.
    $marker = '##cassette-suite-file-done-' + [guid]::NewGuid().ToString('N')
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $workerCount = [math]::Min($ThrottleLimit, $File.Count)
    Write-Host ("Running {0} test files in {1} pwsh workers, longest first" -f $File.Count, $workerCount) -ForegroundColor Cyan

    $finishFile = {
        param($worker, [bool] $workerDied)
        $fileName = $worker.Current.Name
        $name = [IO.Path]::GetFileNameWithoutExtension($fileName)
        $worker.Clock.Stop()
        $seconds = [math]::Round($worker.Clock.Elapsed.TotalSeconds, 1)
        $durations[$fileName] = $seconds
        $summary = Read-SuiteFileSummary (Join-Path $WorkFolder "$name.summary.json")
        if ($workerDied) { $summary.Failed = [math]::Max(1, [int]$summary.Failed) }
        foreach ($key in @($totals.Keys)) { if ($summary.PSObject.Properties[$key]) { $totals[$key] += [int]$summary.$key } }
        $results.Add((Join-Path $WorkFolder "$name.xml"))
        $cpu = if ($summary.PSObject.Properties['CpuSeconds']) { [double]$summary.CpuSeconds } else { 0.0 }
        $engines = if ($summary.PSObject.Properties['EngineStarts']) { [int]$summary.EngineStarts } else { 0 }
        $cost[$fileName] = [ordered]@{ Seconds = $seconds; CpuSeconds = $cpu; EngineStarts = $engines }
        $progress.FilesDone++
        $colour = if ($summary.Failed -gt 0) { 'Red' } else { 'Cyan' }
        Write-Host ''
        Write-Host ("===== {0}: {1} passed, {2} failed, {3} skipped in {4} s, {5:0.0} s CPU, {6} engines ({7} of {8} files done, {9:0} s in) =====" -f $name,
            $summary.Passed, $summary.Failed, $summary.Skipped, $seconds, $cpu, $engines, $progress.FilesDone, $File.Count, $clock.Elapsed.TotalSeconds) -ForegroundColor $colour
        $worker.Output.ToString().TrimEnd() | Out-Host
        if ($workerDied) { Write-Host "The worker running $name ended with exit code $($worker.Process.ExitCode) before the file finished" -ForegroundColor Red }
        $worker.Current = $null
    }
    $nextOrClose = {
        param($worker)
        if ($queue.Count -gt 0) { Send-SuiteFile -Worker $worker -File $queue.Dequeue() } else { Close-SuiteWorker $worker }
    }

    try {
        for ($i = 0; $i -lt $workerCount; $i++) {
            $worker = Start-SuiteWorker -WorkFolder $WorkFolder -SuiteParameters $SuiteParameters -DoneMarker $marker
            $workers.Add($worker)
            Send-SuiteFile -Worker $worker -File $queue.Dequeue()
        }
        while ($workers.Count -gt 0) {
            # Wake on a worker's next line. The one-second slices let PowerShell see a Ctrl+C, which it cannot deliver
            # inside a .NET wait (the finally below then ends every worker), and catch a worker that exited while a
            # process it left running still holds its output open.
            $lines = [Threading.Tasks.Task[]]@($workers | ForEach-Object PendingLine)
            $index = [Threading.Tasks.Task]::WaitAny($lines, 1000)
            if ($index -lt 0) {
                foreach ($worker in @($workers)) {
                    if (-not $worker.Process.HasExited) { continue }
                    if (-not $worker.ExitSeenAt) { $worker.ExitSeenAt = [DateTime]::UtcNow; continue }
                    if (([DateTime]::UtcNow - $worker.ExitSeenAt).TotalSeconds -lt 120) { continue }
                    Write-Host "A worker exited but left a process running that still holds its output open (a leak: one of the files it ran)" -ForegroundColor Red
                    $totals.Failed += 1
                    if ($worker.Current) { & $finishFile $worker $true }
                    $workerCpu += $worker.CpuSeconds
                    $worker.Process.Dispose()
                    $null = $workers.Remove($worker)
                    if ($queue.Count -gt 0) {
                        $replacement = Start-SuiteWorker -WorkFolder $WorkFolder -SuiteParameters $SuiteParameters -DoneMarker $marker
                        $workers.Add($replacement)
                        Send-SuiteFile -Worker $replacement -File $queue.Dequeue()
                    }
                }
                continue
            }
            $worker = $workers[$index]
            $line = $worker.PendingLine.Result
            if ($null -ne $line) {
                if ($worker.Current -and $line.Contains("$marker $([IO.Path]::GetFileNameWithoutExtension($worker.Current.Name))")) {
                    & $finishFile $worker $false
                    & $nextOrClose $worker
                }
                else { $null = $worker.Output.AppendLine($line) }
                $worker.PendingLine = $worker.Process.StandardOutput.ReadLineAsync()
                continue
            }

            # End of the worker's output: it has exited (its input was closed, or it died).
            $null = $worker.Process.WaitForExit(120000)
            $died = $null -ne $worker.Current
            if ($died) { & $finishFile $worker $true }
            $errors = if ($worker.ErrorOutput.Wait(5000)) { $worker.ErrorOutput.Result.TrimEnd() } else { '' }
            if ($errors) { Write-Host "Error output of a worker (files it ran: $($worker.Files)):" -ForegroundColor Yellow; $errors | Out-Host }
            if ($worker.Process.HasExited -and $worker.Process.ExitCode -ne 0 -and -not $died) {
                # A worker that failed without saying which file: a failure all the same.
                Write-Host "A worker ended with exit code $($worker.Process.ExitCode)" -ForegroundColor Red
                $totals.Failed += 1
            }
            $workerCpu += $worker.CpuSeconds
            $worker.Process.Dispose()
            $null = $workers.Remove($worker)
            if ($died -and $queue.Count -gt 0) {
                # The files not yet run get a fresh worker.
                $replacement = Start-SuiteWorker -WorkFolder $WorkFolder -SuiteParameters $SuiteParameters -DoneMarker $marker
                $workers.Add($replacement)
                Send-SuiteFile -Worker $replacement -File $queue.Dequeue()
            }
        }
    }
    finally {
        # Ctrl+C or a runner error: no worker (nor its engines) is left behind.
        foreach ($worker in $workers) {
            if (-not $worker.Process.HasExited) { $worker.Process.Kill($true) }
            $worker.Process.Dispose()
        }
    }
    $clock.Stop()
    Merge-JUnitResult -Path @($results) -Destination $ResultsPath
    $sum = ($durations.Values | Measure-Object -Sum).Sum
    $fileCpu = ($cost.Values | ForEach-Object { $_.CpuSeconds } | Measure-Object -Sum).Sum
    Write-Host ''
    Write-Host ("Pester wall time {0:0} s for {1:0} s of files ({2:0.0}x); CPU {3:0} s in the workers, {4:0} s of it in the files; slowest: {5}" -f $clock.Elapsed.TotalSeconds, $sum,
        ($sum / [math]::Max(1, $clock.Elapsed.TotalSeconds)), $workerCpu, $fileCpu,
        (($durations.GetEnumerator() | Sort-Object Value -Descending | Select-Object -First 5 | ForEach-Object { "$($_.Key -replace '\.Tests\.ps1$') $($_.Value) s" }) -join ', '))
    [pscustomobject]@{ Totals = $totals; Durations = $durations; Cost = $cost }
}

Export-ModuleMember -Function Get-SuiteFile, Get-SuiteFileOrder, Invoke-ParallelSuite
