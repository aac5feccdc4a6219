BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Server time follows the requested length (10 s of audio: 1 s, 120 s: 12 s), so tests choose which request ends
    # first; many workers, so only the module's throttle limits how many run at once.
    # Looped audio (Start-TestEngine -LoopedAudio): this file tests jobs, throttling and their output, not the music.
    $script:fast = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '8', '--ProcessingSecondsPerAudioSecond', '0.1', '--EnableFaultInjection', 'true')
    # A minute of server time per request: only a cancellation ends one during a test.
    $script:slow = Start-TestEngine -LoopedAudio -ArgumentList @('--Workers', '4', '--ProcessingSeconds', '60')
    $script:id = 'Cassette.Cmdlets.NewCassetteTrackCommand'

    function Add-EngineFault([hashtable] $Rule) {
        $null = Invoke-RestMethod -Method Post -Uri "$($fast.Url)_engine/faults" -Headers @{ Authorization = "Key $($fast.ApiKey)" } `
            -ContentType 'application/json' -Body ($Rule | ConvertTo-Json -Depth 5)
    }

    # Each test gets its own journal, so the journal lists exactly the requests the test submitted.
    function Enter-Engine($Engine) {
        $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid().ToString('N')).jsonl"
        Use-TestEngine -Engine $Engine -JournalPath $journal
    }

    # Jobs removed (stopping what still runs), requests still on the engine cancelled, faults cleared.
    function Exit-Engine {
        Get-Job | Remove-Job -Force
        Get-CassetteJob | Where-Object Status -In 'InQueue', 'InProgress' | Stop-CassetteJob -WarningAction SilentlyContinue
        Invoke-RestMethod -Method Delete -Uri "$($fast.Url)_engine/faults" -Headers @{ Authorization = "Key $($fast.ApiKey)" }
        Clear-TestEnvironment
    }

    function Get-JournalRequestId { @(Get-CassetteJob).RequestId }

    # What the engine says of each journaled request, by status (InQueue, InProgress, Completed, Cancelled, Failed).
    function Get-EngineStatusCount([string] $Status) {
        @(Get-JournalRequestId | Where-Object { $_ } | ForEach-Object { Get-CassetteJob -RequestId $_ } | Where-Object Status -EQ $Status).Count
    }

    # The most journaled requests the engine ran at once, from its own clock: each ran from completed_at minus
    # inference_time to completed_at. Exact, unlike sampling statuses one request after another.
    function Get-EnginePeakConcurrency {
        $headers = @{ Authorization = "Key $env:FAL_KEY" }
        $edges = foreach ($requestId in Get-JournalRequestId) {
            $status = Invoke-RestMethod -Uri "$($env:CASSETTE_QUEUE_URL)CassetteAI/music-generator/requests/$requestId/status" -Headers $headers
            $completed = $status.metrics.completed_at
            $end = if ($completed -is [datetime]) { $completed.ToUniversalTime() } else { [DateTimeOffset]::Parse($completed, [Globalization.CultureInfo]::InvariantCulture).UtcDateTime }
            [pscustomobject]@{ At = $end.AddSeconds(-$status.metrics.inference_time); Change = 1 }
            [pscustomobject]@{ At = $end; Change = -1 }
        }
        $running = 0; $peak = 0
        # At the same instant an end counts before a start: one request handing over to the next is not an overlap.
        foreach ($edge in $edges | Sort-Object At, Change) {
            $running += $edge.Change
            $peak = [math]::Max($peak, $running)
        }
        $peak
    }

    # Samples, until the work is done, how many children have a request running on the queue at once, in all the jobs
    # together and in any one job. A child whose request completed frees its slot while it still fetches the result
    # (its StatusMessage says so), so it is not counted. Children get their slots in order, and a child says it is
    # fetching before the next gets its slot, so reading from the last to the first (each child's StatusMessage before
    # its state) never counts a child that started after an earlier one was seen running but had already finished.
    function Measure-RunningChildren([Parameter(Mandatory)] [object[]] $Job) {
        $peak = [pscustomobject]@{ Total = 0; PerJob = 0 }
        $deadline = [DateTime]::UtcNow.AddSeconds(600)
        while ($Job | Where-Object State -NE 'Completed') {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'The jobs did not complete within 600 s.' }
            $perJob = @($Job | ForEach-Object {
                $children = $_.ChildJobs
                @(for ($i = $children.Count - 1; $i -ge 0; $i--) {
                    $fetching = $children[$i].StatusMessage -like 'Fetching the result*'
                    if (-not $fetching -and $children[$i].JobStateInfo.State -eq 'Running') { $i }
                }).Count
            })
            $peak.Total = [math]::Max($peak.Total, ($perJob | Measure-Object -Sum).Sum)
            $peak.PerJob = [math]::Max($peak.PerJob, ($perJob | Measure-Object -Maximum).Maximum)
            Start-Sleep -Milliseconds 50
        }
        $peak
    }

    # The journal records Cancelled only when the queue accepted the cancel, so it is checked as soon as the command
    # returns; the engine itself may still say IN_PROGRESS for a moment while the running request winds down.
    function Assert-CancelledRemotely([Parameter(Mandatory)] [string] $RequestId) {
        # Cancelled once fal confirmed it within the confirmation window, else CancellationRequested until a later query.
        (Get-CassetteJob | Where-Object RequestId -EQ $RequestId).Status | Should -BeIn 'Cancelled', 'CancellationRequested' -Because 'the cancel was accepted before the command returned'
        Wait-Until { (Get-CassetteJob -RequestId $RequestId).Status -eq 'Cancelled' } -TimeoutSec 120 -Because "the engine to end request $RequestId"
        (Get-CassetteJob -RequestId $RequestId).ErrorType | Should -Be 'client_cancelled'
        (Get-CassetteJob | Where-Object RequestId -EQ $RequestId).Status | Should -Be 'Cancelled' -Because 'the query settled it'
    }

    function Wait-RequestsInProgress([int] $Count) {
        Wait-Until { @(Get-JournalRequestId).Count -ge $Count -and (Get-EngineStatusCount 'InProgress') -ge $Count } -Because "$Count requests to run on the engine"
    }
}

AfterAll {
    Get-Job | Remove-Job -Force
    Clear-TestEnvironment
    if ($script:fast) { Stop-CassetteLocalEngine $script:fast }
    if ($script:slow) { Stop-CassetteLocalEngine $script:slow }
}

Describe 'New-CassetteTrack -AsJob' {
    BeforeEach { Enter-Engine $fast }
    AfterEach { Exit-Engine }

    It 'returns one job at once, with a child per prompt, and Receive-Job -Wait -AutoRemoveJob returns every track' {
        $job = 'alpha', 'beta', 'gamma' | New-CassetteTrack -Duration 10 -AsJob
        @($job) | Should -HaveCount 1
        $job | Should -BeOfType ([System.Management.Automation.Job])
        $job.PSJobTypeName | Should -Be 'CassetteGenerationJob'
        $job.State | Should -BeIn 'NotStarted', 'Running' -Because 'each request takes a second of server time, and the job came back at once'
        $job.ChildJobs | Should -HaveCount 3
        $job.ChildJobs.PSJobTypeName | Select-Object -Unique | Should -Be 'CassetteGenerationChildJob'
        (Get-Job -Id $job.Id) | Should -Be $job

        $tracks = Receive-Job $job -Wait -AutoRemoveJob
        $tracks | Should -HaveCount 3
        $tracks | ForEach-Object { $_ | Should -BeOfType ([Cassette.CassetteTrack]) }
        $tracks.Prompt | Sort-Object | Should -Be @('alpha', 'beta', 'gamma')
        $tracks.RequestId | Sort-Object | Should -Be (Get-JournalRequestId | Sort-Object)
        Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because '-AutoRemoveJob removed it'
    }

    It 'names the job with -JobName, which runs the command as a job even without -AsJob' {
        $job = New-CassetteTrack 'named' 10 -JobName 'nightly-batch'
        $job.Name | Should -Be 'nightly-batch'
        (Get-Job -Name 'nightly-batch').Id | Should -Be $job.Id
        (Receive-Job $job -Wait).Prompt | Should -Be 'named'
    }

    It 'binds Prompt and Duration by property name from Import-Csv' {
        $csv = Join-Path $TestDrive 'prompts.csv'
        "Prompt,Duration`n""jazz trio, brushed drums"",11`nambient drone,12" | Set-Content -LiteralPath $csv
        $job = Import-Csv -LiteralPath $csv | New-CassetteTrack -AsJob
        $job.ChildJobs | Should -HaveCount 2
        $tracks = Receive-Job $job -Wait -AutoRemoveJob | Sort-Object Duration
        $tracks.Prompt | Should -Be @('jazz trio, brushed drums', 'ambient drone')
        $tracks.Duration | Should -Be @(11, 12)
    }

    It 'ends Completed when every child completed, and HasMoreData counts every stream, Information included' {
        $job = 'one', 'two' | New-CassetteTrack -Duration 10 -AsJob
        $null = Wait-Job $job
        $job.State | Should -Be 'Completed'
        $job.ChildJobs.State | Should -Be @('Completed', 'Completed')
        foreach ($child in $job.ChildJobs) {
            $null = $child.Output.ReadAll(), $child.Error.ReadAll(), $child.Warning.ReadAll(), $child.Verbose.ReadAll(), $child.Progress.ReadAll(), $child.Debug.ReadAll()
        }
        $job.HasMoreData | Should -BeTrue -Because "the server's log lines are still in the Information streams"
        foreach ($child in $job.ChildJobs) { $null = $child.Information.ReadAll() }
        $job.HasMoreData | Should -BeFalse
    }

    It "records each child's progress, verbose and server log lines in the job's streams" {
        $job = New-CassetteTrack 'streams' 10 -AsJob
        $null = Wait-Job $job
        $child = $job.ChildJobs[0]
        $track = $child.Output[0]
        $child.Progress.Count | Should -BeGreaterThan 1
        $child.Progress[$child.Progress.Count - 1].RecordType | Should -Be 'Completed' -Because 'the bar is closed when the child ends'
        $child.Verbose.Message | Should -Contain "Request $($track.RequestId): generating."
        $child.Information.Count | Should -BeGreaterThan 0
        $child.Information[0].Tags | Should -Contain 'ServerLog'
        $child.Information[0].MessageData.RequestId | Should -Be $track.RequestId

        $null = Receive-Job $job -Wait -InformationVariable info -Verbose -ProgressAction SilentlyContinue 4>$null
        $info.MessageData.RequestId | Select-Object -Unique | Should -Be $track.RequestId
    }

    It 'shows the children with Get-Job -IncludeChildJob, with a StatusMessage and Location that never throw' {
        $job = 'longer', 'short' | New-CassetteTrack -Duration 30 -AsJob -ThrottleLimit 1
        $authority = ([uri]$fast.Url).Authority
        Wait-Until { $job.ChildJobs[0].StatusMessage -like 'Generating*' } -Because 'the first child to start generating'
        $listed = Get-Job -IncludeChildJob
        $listed.Id | Should -Contain $job.ChildJobs[1].Id
        $job.ChildJobs[0].StatusMessage | Should -Match "^Generating, \d+:\d\d elapsed \(request $(@(Get-JournalRequestId)[0])\)$"
        $job.ChildJobs[1].StatusMessage | Should -Be 'Waiting for a free slot (-ThrottleLimit 1)'
        $job.StatusMessage | Should -Be '1 running, 1 waiting'
        $job.ChildJobs.Location | Should -Be @($authority, $authority)
        $job.Location | Should -Be $authority
        { $listed | Format-Table -Property * | Out-String } | Should -Not -Throw

        $null = Wait-Job $job
        foreach ($child in $job.ChildJobs) {
            $child.StatusMessage | Should -Be "Completed (request $($child.Output[0].RequestId))"
        }
        $job.StatusMessage | Should -Be '2 completed'
    }

    It 'ends Failed when a child failed, and that child carries the error with a stable id' {
        Add-EngineFault @{ target = 'submit'; kind = 'http'; status = 400; detail = 'refused for the test'; count = 1 }
        $job = 'doomed', 'fine' | New-CassetteTrack -Duration 10 -AsJob -ThrottleLimit 1
        $null = Wait-Job $job
        $job.State | Should -Be 'Failed'
        $job.ChildJobs.State | Should -Be @('Failed', 'Completed')
        $job.ChildJobs[0].StatusMessage | Should -BeLike 'Failed: *refused for the test*'
        $tracks = Receive-Job $job -Wait -ErrorVariable errors -ErrorAction SilentlyContinue
        $tracks.Prompt | Should -Be 'fine'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "RequestRejected,$id" -Because 'the id is the one the command gives without -AsJob'
        $errors[0].TargetObject | Should -Be 'doomed' -Because 'nothing was submitted, so the target is the prompt'
        $errors[0].CategoryInfo.Activity | Should -Be 'New-CassetteTrack'
    }

    It 'runs at most -ThrottleLimit children at once, as the engine sees it' {
        $job = 1..6 | ForEach-Object { "throttled $_" } | New-CassetteTrack -Duration 30 -AsJob -ThrottleLimit 2
        (Measure-RunningChildren -Job $job).Total | Should -Be 2
        Get-EnginePeakConcurrency | Should -Be 2 -Because 'the engine has 8 workers, so only the throttle holds requests back'
        (Receive-Job $job) | Should -HaveCount 6
    }

    It 'throttles each job on its own, never across the process' {
        $first = 'first a', 'first b' | New-CassetteTrack -Duration 30 -AsJob -ThrottleLimit 1
        $second = 'second a', 'second b' | New-CassetteTrack -Duration 30 -AsJob -ThrottleLimit 1
        $peak = Measure-RunningChildren -Job $first, $second
        $peak.PerJob | Should -Be 1
        $peak.Total | Should -Be 2 -Because 'each job has a slot of its own'
        Get-EnginePeakConcurrency | Should -Be 2
    }

    It 'works with Wait-Job -Any and -Timeout' {
        $long = New-CassetteTrack 'long' 120 -AsJob
        $quick = New-CassetteTrack 'quick' 10 -AsJob
        $firstDone = Wait-Job $long, $quick -Any
        $firstDone.Id | Should -Be $quick.Id
        $long.State | Should -Be 'Running'
        Wait-Job $long -Timeout 1 | Should -BeNullOrEmpty -Because 'the long request needs 12 s of server time'
        $long.State | Should -Be 'Running'
    }

    It '-WhatIf queues nothing and returns no job' {
        $output = 'what if' | New-CassetteTrack -Duration 10 -AsJob -WhatIf
        $output | Should -BeNullOrEmpty
        Get-Job | Should -BeNullOrEmpty
        Get-CassetteJob | Should -BeNullOrEmpty -Because 'nothing was submitted'
    }

    It 'rejects -AsJob with -Confirm before anything is queued, and accepts -Confirm:$false' {
        $err = { 'confirm me' | New-CassetteTrack -Duration 10 -AsJob -Confirm } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "AsJobWithConfirm,$id"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-Job | Should -BeNullOrEmpty
        Get-CassetteJob | Should -BeNullOrEmpty

        $job = New-CassetteTrack 'no confirmation asked' 10 -AsJob -Confirm:$false
        (Receive-Job $job -Wait).Prompt | Should -Be 'no confirmation asked'
    }

    It 'gives its tracks to Save-CassetteAudio and Get-CassetteJob -Wait unchanged, live or deserialized' {
        $tracks = 'save me', 'wait for me' | New-CassetteTrack -Duration 10 -AsJob | Receive-Job -Wait -AutoRemoveJob | Sort-Object Prompt
        $saved = $tracks | Save-CassetteAudio -Path $TestDrive -PassThru
        $saved | Should -HaveCount 2
        $saved.RequestId | Should -Be $tracks.RequestId
        $saved | ForEach-Object { Test-Path -LiteralPath $_.Path | Should -BeTrue }
        ($tracks | Get-CassetteJob -Wait).RequestId | Should -Be $tracks.RequestId

        $deserialized = $tracks | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }
        $deserialized[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.Cassette.CassetteTrack'
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'deserialized')
        ($deserialized | Save-CassetteAudio -Path $folder.FullName -PassThru).RequestId | Should -Be $tracks.RequestId
        ($deserialized | Get-CassetteJob -Wait).RequestId | Should -Be $tracks.RequestId
    }
}

# The slow engine holds every request for 60 s of server time, so a stop that waited for the requests instead of
# cancelling them would leave them Completed: Assert-CancelledRemotely is what shows a stop was prompt. How fast a
# stop returns is a timing goal, and timing goals live in bench/, not in assertions that fail on a loaded machine.
Describe 'Stopping New-CassetteTrack jobs' {
    BeforeEach { Enter-Engine $slow }
    AfterEach { Exit-Engine }

    It 'journals every submission before waiting' {
        $job = 'journaled a', 'journaled b' | New-CassetteTrack -Duration 10 -AsJob
        Wait-RequestsInProgress 2
        $job.State | Should -Be 'Running'
        (Get-CassetteJob).Prompt | Sort-Object | Should -Be @('journaled a', 'journaled b')
    }

    It 'Stop-Job on the job cancels the running requests remotely, drops the queued ones, and returns promptly' {
        $job = 'one', 'two', 'three', 'four' | New-CassetteTrack -Duration 10 -AsJob -ThrottleLimit 2
        Wait-RequestsInProgress 2
        Stop-Job $job
        $job.State | Should -Be 'Stopped'
        $job.ChildJobs.State | Should -Be @('Stopped', 'Stopped', 'Stopped', 'Stopped')
        $submitted = Get-JournalRequestId
        $submitted | Should -HaveCount 2 -Because 'the two waiting children never submitted'
        foreach ($requestId in $submitted) { Assert-CancelledRemotely $requestId }
        $job.ChildJobs[2].StatusMessage | Should -Be 'Stopped before a request was submitted'
        $job.ChildJobs[0].StatusMessage | Should -Match '^Stopped \(request [0-9a-f-]+ cancelled\)$'
        Receive-Job $job -ErrorVariable errors -ErrorAction SilentlyContinue -ProgressAction SilentlyContinue | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty -Because 'a stop is not an error'
    }

    It 'Stop-Job on one child cancels only its request, and the job then ends Stopped' {
        $job = 'stop me', 'keep me' | New-CassetteTrack -Duration 10 -AsJob -ThrottleLimit 2
        Wait-RequestsInProgress 2
        $stopped = $job.ChildJobs | Where-Object Command -Like "*'stop me'*"
        $kept = $job.ChildJobs | Where-Object Command -Like "*'keep me'*"
        Stop-Job $stopped
        $stopped.State | Should -Be 'Stopped'
        $kept.State | Should -Be 'Running'
        $job.State | Should -Be 'Running'
        $byPrompt = @{}; Get-CassetteJob | ForEach-Object { $byPrompt[$_.Prompt] = $_.RequestId }
        Assert-CancelledRemotely $byPrompt['stop me']
        (Get-CassetteJob -RequestId $byPrompt['keep me']).Status | Should -Be 'InProgress'

        Stop-Job $job
        $job.State | Should -Be 'Stopped'
        Assert-CancelledRemotely $byPrompt['keep me']
    }

    It 'Remove-Job -Force on a running job cancels its requests and removes it, promptly' {
        $job = 'removed a', 'removed b', 'removed c' | New-CassetteTrack -Duration 10 -AsJob -ThrottleLimit 2
        Wait-RequestsInProgress 2
        Remove-Job $job -Force
        Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $submitted = Get-JournalRequestId
        $submitted | Should -HaveCount 2
        foreach ($requestId in $submitted) { Assert-CancelledRemotely $requestId }
    }

    It 'Ctrl+C without -AsJob cancels every running request remotely and ends without an error record' {
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddScript("'ctrl a', 'ctrl b', 'ctrl c' | New-CassetteTrack -Duration 10 -ThrottleLimit 3")
            $async = $ps.BeginInvoke()
            Wait-RequestsInProgress 3
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Streams.Error | Should -BeNullOrEmpty
            { $ps.EndInvoke($async) } | Should -Throw
            $submitted = Get-JournalRequestId
            $submitted | Should -HaveCount 3
            foreach ($requestId in $submitted) { Assert-CancelledRemotely $requestId }
        }
        finally { $ps.Dispose() }
    }
}

Describe 'New-CassetteTrack without -AsJob' {
    BeforeEach { Enter-Engine $fast }
    AfterEach { Exit-Engine }

    It 'runs piped prompts at once and writes each track as it completes' {
        $records = [pscustomobject]@{ Prompt = 'long one first'; Duration = 60 }, [pscustomobject]@{ Prompt = 'short one second'; Duration = 10 }
        $tracks = $records | New-CassetteTrack -ThrottleLimit 2
        $tracks.Prompt | Should -Be @('short one second', 'long one first') -Because 'the short request, submitted second, finished first'
    }

    It 'keeps the input order with -ThrottleLimit 1' {
        $records = [pscustomobject]@{ Prompt = 'long one first'; Duration = 30 }, [pscustomobject]@{ Prompt = 'short one second'; Duration = 10 }
        ($records | New-CassetteTrack -ThrottleLimit 1).Prompt | Should -Be @('long one first', 'short one second')
    }

    It 'runs at most -ThrottleLimit requests at once, as the engine sees it' {
        1..5 | ForEach-Object { "foreground $_" } | New-CassetteTrack -Duration 30 -ThrottleLimit 2 | Should -HaveCount 5
        Get-EnginePeakConcurrency | Should -Be 2 -Because 'the engine has 8 workers, so only the throttle holds requests back'
    }

    It 'writes a non-terminating error for each prompt that fails and goes on with the rest' {
        Add-EngineFault @{ target = 'submit'; kind = 'http'; status = 400; detail = 'refused for the test'; count = 1 }
        $tracks = 'doomed', 'fine' | New-CassetteTrack -Duration 10 -ThrottleLimit 1 -ErrorVariable errors -ErrorAction SilentlyContinue
        $tracks.Prompt | Should -Be 'fine'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "RequestRejected,$id"
        $errors[0].TargetObject | Should -Be 'doomed'
    }

    It 'cancels the requests still running when a later command stops the pipeline early' {
        $records = [pscustomobject]@{ Prompt = 'short'; Duration = 10 }, [pscustomobject]@{ Prompt = 'very long'; Duration = 180 }
        $first = $records | New-CassetteTrack | Select-Object -First 1
        $first.Prompt | Should -Be 'short'
        $long = Get-CassetteJob | Where-Object Prompt -EQ 'very long'
        $long | Should -HaveCount 1 -Because 'both prompts were submitted at once'
        Assert-CancelledRemotely $long.RequestId
    }
}
