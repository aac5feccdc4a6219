# Helpers for the runbook suites (-BatchName, -MaxCost, -SkipExisting, the runbook example): the engine's own count of
# the calls it answered, and a WAV check that does not trust the module under test.

Set-StrictMode -Version 3

function Get-EngineCallCount {
    <# The engine's count of calls each route answered with a 2xx (GET /_engine/calls; needs --EnableFaultInjection). #>
    param([Parameter(Mandatory)] $Engine)
    Invoke-RestMethod -Uri "$($Engine.Url)_engine/calls" -Headers @{ Authorization = "Key $($Engine.ApiKey)" }
}

function Test-CompleteWav {
    <# True when the file is a RIFF/WAVE whose header accounts for every byte: not cut short, nothing appended. #>
    param([Parameter(Mandatory)] [string] $LiteralPath)
    $bytes = [IO.File]::ReadAllBytes($LiteralPath)
    if ($bytes.Length -lt 44) { return $false }
    $ascii = [Text.Encoding]::ASCII
    if ($ascii.GetString($bytes, 0, 4) -ne 'RIFF' -or $ascii.GetString($bytes, 8, 4) -ne 'WAVE') { return $false }
    if ([BitConverter]::ToUInt32($bytes, 4) + 8 -ne $bytes.Length) { return $false }
    # Walk the chunks: the data chunk must end exactly at the end of the file's RIFF body.
    $offset = 12
    while ($offset + 8 -le $bytes.Length) {
        $id = $ascii.GetString($bytes, $offset, 4)
        $size = [BitConverter]::ToUInt32($bytes, $offset + 4)
        if ($id -eq 'data') { return ($size -gt 0 -and $offset + 8 + $size -eq $bytes.Length) }
        $offset += 8 + $size + ($size % 2)
    }
    $false
}

function New-PromptCsv {
    <# A CSV with Prompt and Duration columns, as a runbook reads it. #>
    param([Parameter(Mandatory)] [string] $LiteralPath, [Parameter(Mandatory)] [string[]] $Prompt, [int] $Duration = 10)
    $Prompt | ForEach-Object { [pscustomobject]@{ Prompt = $_; Duration = $Duration } } |
        Export-Csv -LiteralPath $LiteralPath -NoTypeInformation -Encoding utf8
}

Export-ModuleMember -Function Get-EngineCallCount, Test-CompleteWav, New-PromptCsv
