# fal's official JavaScript client (@fal-ai/client, pinned in tests/official-client) run unmodified against
# the local engine. Skipped, with the reason, where node or the installed packages are missing: the README's
# test command must pass with only the .NET SDK; CI installs them (npm ci in .ci/run).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:clientFolder = Join-Path $PSScriptRoot '../official-client'
    $script:skipReason = if (-not (Get-Command node -CommandType Application -ErrorAction SilentlyContinue)) {
        'node is not installed'
    } elseif (-not (Test-Path (Join-Path $clientFolder 'node_modules/@fal-ai/client/package.json'))) {
        "@fal-ai/client is not installed: run 'npm ci --prefix tests/official-client'"
    }
}

Describe 'The official fal JavaScript client against the local engine' {
    BeforeAll {
        if (-not $skipReason) {
            # A little server time per second of audio keeps a long request running while the client cancels it.
            # The real synthesizer (not Start-TestEngine -LoopedAudio): this file compares the module with fal's own client on real results.
            $script:engine = Start-TestEngine -ArgumentList '--ProcessingSecondsPerAudioSecond', '0.05'
        }
    }

    AfterAll {
        if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
    }

    It 'subscribes (polling and streaming), submits, polls, fetches, cancels and reports validation errors' {
        if ($skipReason) {
            Set-ItResult -Skipped -Because $skipReason
            return
        }
        $env:CASSETTE_ENGINE_URL = $engine.Url
        $env:FAL_KEY = $engine.ApiKey
        try {
            Push-Location $clientFolder
            $output = & node --test --test-reporter=spec check.mjs 2>&1
            $exitCode = $LASTEXITCODE
        }
        finally {
            Pop-Location
            Remove-Item Env:CASSETTE_ENGINE_URL, Env:FAL_KEY -ErrorAction SilentlyContinue
        }
        $output | ForEach-Object { Write-Host "    $_" }
        $exitCode | Should -Be 0 -Because ($output -join "`n")
    }
}

