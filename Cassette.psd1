@{
    RootModule           = 'Cassette.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f2d6e-8f0a-4b7c-9a53-2c4f1e9d7a61'
    Author               = 'Cassette contributors'
    CompanyName          = 'Cassette'
    Copyright            = '(c) Cassette contributors. MIT License.'
    Description          = 'Generate music with CassetteAI''s text-to-music model through the fal queue API, and work offline against a local fal-compatible engine.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # No FormatsToProcess: the cmdlets load Cassette.Format.ps1xml into a session the first time one of them runs there
    # (src/Cassette/Cmdlets/FormatViews.cs). Formats added at import make PowerShell rebuild its whole format database,
    # which was the largest part of what Import-Module Cassette cost.
    CmdletsToExport      = @('New-CassetteTrack', 'Get-CassetteJob', 'Stop-CassetteJob', 'Save-CassetteAudio', 'Clear-CassetteJournal')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # No ProjectUri, LicenseUri or HelpInfoURI until the project has a public home: the licence ships as the
            # LICENSE file, and build.ps1 stamps ReleaseNotes from CHANGELOG.md into the built copy of this manifest.
            Tags = @('fal', 'CassetteAI', 'music', 'audio', 'generative-ai', 'text-to-music')
        }
    }
}
