# Runs Pester test files in this pwsh and reports them as one summary: used by Invoke-PesterSuite.ps1 -Parallel 1 (all
# files in one run) and by each worker of a parallel run (Invoke-SuiteWorker.ps1, one file after another).
# Dot-sourced, not imported: Invoke-Pester called from a module function runs the test files in that module's session
# state, where the helper modules they import cannot see one another (ResilienceHelpers calls TestHelpers). No
# Set-StrictMode here: dot-sourced, it would apply to the test files, which run without it as they always have.


function Get-ProcessTreeCpuSecond {
    <#
    User and system CPU seconds of a process (this one by default) and of every child it has reaped (engines, child pwsh: .NET reaps the
    processes it starts), from /proc/<id>/stat (fields 14-17, in clock ticks of 1/100 s). Off Linux: the process only.
    #>
    param([int] $ProcessId = $PID)
    $statPath = "/proc/$ProcessId/stat"
    if (-not (Test-Path -LiteralPath $statPath)) { return [Diagnostics.Process]::GetProcessById($ProcessId).TotalProcessorTime.TotalSeconds }
    # The command name (field 2) is in parentheses and may hold spaces: count fields after its closing parenthesis.
    $stat = Get-Content -LiteralPath $statPath -Raw
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
    ([long]$fields[11] + [long]$fields[12] + [long]$fields[13] + [long]$fields[14]) / 100.0
}

function Invoke-SuiteFileRun {
    <#
    One Invoke-Pester over Path, its JUnit file at ResultsPath, then the tail of every engine log of a file with a
    failed test. Returns the totals, with the CPU seconds the run took (this pwsh and the engines and child pwsh it
    started) and how many engines its files started (one log each, in EngineLogPath): tests/README.md's table.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $Path,
        [Parameter(Mandatory)] [string] $ResultsPath,
        [Parameter(Mandatory)] [string] $EngineLogPath,
        [int] $LogTailLines = 60
    )
    $cpuBefore = Get-ProcessTreeCpuSecond
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $Path
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'JUnitXml'
    $configuration.TestResult.OutputPath = $ResultsPath
    $result = Invoke-Pester -Configuration $configuration

    # The engines' side of each failure: the tail of every log of the failed tests' files (CI shows this output).
    $failedFiles = if (-not $result) { @() } else { @(
        @($result.Failed | ForEach-Object { $_.ScriptBlock.File }) +
        @($result.FailedBlocks | ForEach-Object { $_.ScriptBlock.File }) +
        @($result.FailedContainers | ForEach-Object { $_.Item.FullName })
    ) | Where-Object { $_ } | Sort-Object -Unique }
    foreach ($file in $failedFiles) {
        $name = [IO.Path]::GetFileNameWithoutExtension($file)
        $logs = @(Get-ChildItem -LiteralPath $EngineLogPath -Filter "$name-*.log" -ErrorAction SilentlyContinue)
        foreach ($log in $logs) {
            Write-Host ''
            Write-Host "Engine log of $name (a test there failed), last $LogTailLines lines of $($log.FullName):" -ForegroundColor Yellow
            Get-Content -LiteralPath $log.FullName -Tail $LogTailLines | Out-Host
        }
    }

    $summary = if ($result) {
        [ordered]@{
            Total   = $result.TotalCount
            Passed  = $result.PassedCount
            Skipped = $result.SkippedCount
            Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
        }
    }
    else {
        # Pester itself failed (a path that does not exist, say): that is a failed run, not an empty one.
        [ordered]@{ Total = 0; Passed = 0; Skipped = 0; Failed = 1 }
    }
    $summary.CpuSeconds = [math]::Round((Get-ProcessTreeCpuSecond) - $cpuBefore, 1)
    $summary.EngineStarts = @(foreach ($file in $Path) {
            Get-ChildItem -LiteralPath $EngineLogPath -Filter "$([IO.Path]::GetFileNameWithoutExtension($file))-*.log" -ErrorAction SilentlyContinue
        }).Count
    $summary
}
