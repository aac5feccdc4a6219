# Issue 13, the hostile-server fuzz test: a fake queue (tests/HostileServer) answers every call of thousands of cases
# with generated bodies, statuses, headers, redirects, cut and trickled streams; every case runs one of the module's
# commands against it (tests/HostileServer/Invoke-FuzzBatch.ps1, many cases at a time per pwsh). Whatever the server
# does: every error is a catalogued id and never UnexpectedError, no command waits past its deadlines, nothing partial
# or foreign is left at a destination, the key reaches the queue only in its Authorization header and shows up in no
# text, and the journal still reads.
#
# The master seed is printed; to replay a run: $env:CASSETTE_FUZZ_SEED = <seed>. To replay one case, run
# Invoke-FuzzBatch.ps1 with -MasterSeed <seed> -First <n> -Count 1 against a server from HostileServerHelpers.psm1.
# CASSETTE_FUZZ_CASES sets the number of cases (default 5000), CASSETTE_FUZZ_PARALLEL how many run at once per batch (24).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileServerHelpers.psm1') -Force
    $script:key = 'fuzz-key-' + [guid]::NewGuid().ToString('N')
    $script:server = Start-HostileServer -ApiKey $key
    $script:masterSeed = if ($env:CASSETTE_FUZZ_SEED) { [long]$env:CASSETTE_FUZZ_SEED } else { [long](Get-Random -Minimum 1 -Maximum 2000000000) }
    $script:caseCount = if ($env:CASSETTE_FUZZ_CASES) { [int]$env:CASSETTE_FUZZ_CASES } else { 5000 }
    # Cases at a time per batch: most of a case is waiting on the server (slow answers, stalls, polling), not CPU.
    $script:parallel = if ($env:CASSETTE_FUZZ_PARALLEL) { [int]$env:CASSETTE_FUZZ_PARALLEL } else { 24 }
    Write-Host "Hostile-server fuzz: master seed $masterSeed, $caseCount cases (replay with `$env:CASSETTE_FUZZ_SEED = $masterSeed)"

    # The catalogue: every ErrorId the module defines (Cassette.CassetteErrors, the one place ids are defined).
    Import-Module (Get-TestModulePath) -Force
    $script:catalogue = @([Cassette.CassetteErrors]::All.Id | Where-Object { $_ -ne 'UnexpectedError' })
    $script:goodHash = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData($server.GoodWav))
}

AfterAll {
    Stop-HostileServer $script:server
}

Describe 'The module against a hostile queue' {
    It 'survives every generated case' {
        $batches = 2
        $perBatch = [math]::Ceiling($caseCount / $batches)
        $pwsh = @(Get-PwshCommand)
        $batchScript = Join-Path $PSScriptRoot '../HostileServer/Invoke-FuzzBatch.ps1'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $children = foreach ($batch in 0..($batches - 1)) {
            $first = $batch * $perBatch
            $count = [math]::Min($perBatch, $caseCount - $first)
            $work = (New-Item -ItemType Directory -Path (Join-Path $TestDrive "batch-$batch")).FullName
            $result = Join-Path $TestDrive "batch-$batch.json"
            $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $batchScript, '-ModulePath', (Get-TestModulePath),
                '-QueueUrl', $server.QueueUrl, '-ApiKey', $key, '-MasterSeed', $masterSeed, '-First', $first, '-Count', $count,
                '-WorkFolder', $work, '-ResultPath', $result, '-Parallel', $parallel)
            [pscustomobject]@{ Result = $result; Log = "$result.log"; Process = Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -PassThru -RedirectStandardError "$result.log" }
        }
        try {
            # Only a guard against a hung batch; each case has its own hang guard inside the batch.
            foreach ($child in $children) { $child.Process.WaitForExit(1800000) | Should -BeTrue -Because 'a batch must not hang' }
        }
        finally { foreach ($child in $children) { if (-not $child.Process.HasExited) { $child.Process.Kill($true) } } }
        $clock.Stop()

        $violations = [System.Collections.Generic.List[string]]::new()
        $overruns = [System.Collections.Generic.List[string]]::new()
        $cases = [System.Collections.Generic.List[object]]::new()
        foreach ($child in $children) {
            if (-not (Test-Path -LiteralPath $child.Result)) { $violations.Add("a batch wrote no result: $(Get-Content -LiteralPath $child.Log -Raw)"); continue }
            $batch = Get-Content -LiteralPath $child.Result -Raw | ConvertFrom-Json
            if ($batch.JournalError) { $violations.Add("the batch journal no longer reads: $($batch.JournalError)") }
            foreach ($case in $batch.Cases) { $cases.Add($case) }
        }
        foreach ($case in $cases) {
            $where = "case $($case.Seed) ($($case.Operation), -MaxRetryCount $($case.Retries))"
            foreach ($id in $case.Ids) {
                $head = ($id -split ',')[0]
                if ($head -eq 'Hang') { $violations.Add("$where hung past its guard") }
                elseif ($head -eq 'UnexpectedError') { $violations.Add("$where raised UnexpectedError, which means a bug: $($case.Unexpected)") }
                elseif ($head -notin $catalogue) { $violations.Add("$where raised $id, which is not in the catalogue $($case.Unexpected)") }
            }
            # The bound is what the case's deadlines add up to on an idle machine. A busy machine overruns it without
            # any fault of the module's, so an overrun is reported, not failed; a case that never ends is stopped by
            # the batch's hang guard and fails as 'Hang'.
            if ($case.ElapsedMs -gt $case.BoundMs) { $overruns.Add("$where took $($case.ElapsedMs) ms, past its idle bound of $($case.BoundMs) ms") }
            if ($case.KeySeen) { $violations.Add("$where showed the key in an error, warning or output") }
            foreach ($file in $case.Left) {
                if ($file.Name -like '*.partial') { $violations.Add("$where left a partial file $($file.Name)") }
                elseif ($file.Hash -ne $goodHash) { $violations.Add("$where kept $($file.Name), which is not the audio the server served") }
            }
        }
        foreach ($leak in $server.Leaks) { $violations.Add("the key leaked: $leak") }

        $ids = $cases | ForEach-Object { $_.Ids } | ForEach-Object { ($_ -split ',')[0] } | Group-Object | Sort-Object Count -Descending
        $saved = @($cases | Where-Object { $_.Left.Count -gt 0 }).Count
        Write-Host ("Fuzz: {0} cases in {1:0} s, {2} requests served, {3} cases saved a file; errors: {4}" -f $cases.Count, $clock.Elapsed.TotalSeconds,
            $server.RequestCount, $saved, (($ids | ForEach-Object { "$($_.Name) $($_.Count)" }) -join ', '))
        if ($overruns.Count -gt 0) {
            Write-Host "Fuzz: $($overruns.Count) cases overran their idle time bound (a busy machine; not a failure). The first few:"
            $overruns | Select-Object -First 5 | ForEach-Object { Write-Host "  $_" }
        }
        $cases.Count | Should -Be $caseCount
        $violations | Select-Object -First 40 | Should -BeNullOrEmpty -Because "master seed $masterSeed must hold ($($violations.Count) violations)"
    }
}
