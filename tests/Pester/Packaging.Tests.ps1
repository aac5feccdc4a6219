# The shipped packages, installed and used as a user would: the module from a PSResource repository, the engine as
# the cassette-engine .NET tool, and the runbook zip. Packs the module the Test task built (no second build of the
# solution) with the same code as build.ps1 Package; every install happens in a pwsh with a temporary home.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    Import-Module (Join-Path $root 'build/Packaging.psm1') -Force

    function Get-UserRepositoryStore {
        <# The user's own PSResourceGet repository list, to show the suite leaves it as it was. #>
        $path = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        if (Test-Path -LiteralPath $path) { Get-Content -LiteralPath $path -Raw } else { '<none>' }
    }

    function Start-InstalledEngine {
        <# Starts the installed cassette-engine command on a free loopback port and reads the address it prints. #>
        param([Parameter(Mandatory)] [string] $ToolPath, [Parameter(Mandatory)] [string] $ApiKey)
        $command = Join-Path $ToolPath ($IsWindows ? 'cassette-engine.exe' : 'cassette-engine')
        $logPath = Join-Path $TestDrive 'engine.log'
        # A tool installed with --tool-path finds the runtime through DOTNET_ROOT, as dotnet tool install tells users.
        $dotnetRoot = $env:DOTNET_ROOT
        if (-not $dotnetRoot) {
            $dotnet = Get-Item (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
            if ($dotnet.LinkTarget) { $dotnet = $dotnet.ResolveLinkTarget($true) }
            $dotnetRoot = Split-Path $dotnet.FullName -Parent
        }
        # Started by the same launcher every test uses (build/EngineLauncher.cs), with the installed command instead of
        # "dotnet engine.dll": it waits for the printed address and keeps what the engine writes in a log.
        $info = [Diagnostics.ProcessStartInfo]::new($command)
        foreach ($argument in '--urls', 'http://127.0.0.1:0', '--ApiKey', $ApiKey) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $info.Environment['DOTNET_ROOT'] = $dotnetRoot
        $launched = [Cassette.EngineSupport.LocalEngineProcess]::Start($info, $ApiKey, [TimeSpan]::FromSeconds(120), $logPath)
        # The shape Start-CassetteLocalEngine returns, so Stop-CassetteLocalEngine stops it gracefully.
        [pscustomobject]@{ Url = $launched.Url.AbsoluteUri; ApiKey = $ApiKey; Process = $launched.Process; LogPath = $logPath; KeepLog = $false; Launcher = $launched }
    }

    function Read-Result([string] $Path) { Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json }

    $script:userStoreBefore = Get-UserRepositoryStore
    $script:moduleFolder = (Resolve-Path (Get-TestModulePath)).ProviderPath
    $script:version = (Import-PowerShellDataFile (Join-Path $moduleFolder 'Cassette.psd1')).ModuleVersion
    $script:packageFolder = Join-Path $TestDrive 'packages'
    $script:userHome = Join-Path $TestDrive 'home'
    $script:toolPath = Join-Path $TestDrive 'tools'
    # Release, as the Test task builds; dotnet pack rebuilds the engine only if that configuration is stale.
    $script:packages = New-CassettePackage -Root $root -ModuleFolder $moduleFolder -Configuration Release -OutputFolder $packageFolder

    $installResult = Join-Path $TestDrive 'install.json'
    Invoke-IsolatedPwsh -HomeFolder $userHome -File (Join-Path $PSScriptRoot 'Packaging/Install-Packages.ps1') -Parameters @{
        PackageFolder = $packageFolder; Version = $version; ToolPath = $toolPath; ResultPath = $installResult
    }
    $script:installed = Read-Result $installResult
}

AfterAll {
    if ($script:engine) { Stop-CassetteLocalEngine $script:engine }
}

Describe 'build.ps1 Package output' {
    It 'names the three packages after the manifest version' {
        @($packages | ForEach-Object Name) | Should -Be @("Cassette.$version.nupkg", "Cassette.LocalEngine.$version.nupkg", "Cassette-$version.zip")
    }

    It 'ships the licence, and the release notes of this version from CHANGELOG.md, in the module package' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $packageFolder "Cassette.$version.nupkg"))
        try {
            $zip.Entries.FullName | Should -Contain 'LICENSE'
            $reader = [IO.StreamReader]::new($zip.GetEntry('Cassette.nuspec').Open())
            $nuspec = [xml]$reader.ReadToEnd()
            $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $notes = Get-ChangelogSection -Path (Join-Path $root 'CHANGELOG.md') -Version $version
        $nuspec.package.metadata.releaseNotes | Should -Be $notes
        $nuspec.package.metadata.version | Should -Be $version
        # No invented home page or licence url: the project has no public home yet.
        $nuspec.package.metadata.SelectSingleNode('*[local-name()="projectUrl" or local-name()="licenseUrl"]') | Should -BeNullOrEmpty
    }

    It 'packs the engine as the .NET tool cassette-engine, with the licence' {
        $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $packageFolder "Cassette.LocalEngine.$version.nupkg"))
        try {
            $zip.Entries.FullName | Should -Contain 'LICENSE'
            $settings = $zip.Entries | Where-Object FullName -Like 'tools/*/any/DotnetToolSettings.xml'
            $reader = [IO.StreamReader]::new($settings.Open())
            $command = ([xml]$reader.ReadToEnd()).DotNetCliTool.Commands.Command
            $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $command.Name | Should -Be 'cassette-engine'
    }
}

Describe 'Installed from a repository, the engine as a tool' {
    It 'installs the module under the temporary home, and leaves the user''s repositories as they were' {
        $installed.ModuleLocation | Should -BeLike "$userHome*"
        $installed.Repositories | Should -Contain 'CassetteLocal'
        Get-UserRepositoryStore | Should -Be $userStoreBefore
    }

    It 'lists in cassette-engine --help every option the README and docs/local-engine.md document, and no other' {
        $command = Join-Path $toolPath ($IsWindows ? 'cassette-engine.exe' : 'cassette-engine')
        $help = & $command --help
        $LASTEXITCODE | Should -Be 0
        $helpOptions = @($help | Where-Object { $_ -match '^--(\w+)' } | ForEach-Object { $Matches[1] } | Sort-Object)
        $helpOptions | Should -Contain 'Workers'
        foreach ($document in 'README.md', 'docs/local-engine.md') {
            $documented = @(Get-Content (Join-Path $root $document) | Where-Object { $_ -match '^\| `--(\w+)`' } | ForEach-Object { $Matches[1] } | Sort-Object -Unique)
            $documented | Should -Be $helpOptions -Because "$document's option table should match the engine's options"
        }
    }

    It 'imports the installed module in a fresh pwsh, runs the installed engine, and generates and saves a track' {
        $script:engine = Start-InstalledEngine -ToolPath $toolPath -ApiKey ('local-' + [guid]::NewGuid().ToString('N'))
        $output = Join-Path $TestDrive 'music'
        New-Item -ItemType Directory -Path $output | Out-Null
        $resultPath = Join-Path $TestDrive 'use.json'
        Invoke-IsolatedPwsh -HomeFolder $userHome -File (Join-Path $PSScriptRoot 'Packaging/Use-Module.ps1') `
            -Parameters @{ Module = 'Cassette'; ResultPath = $resultPath; OutputFolder = $output } `
            -Environment @{ CASSETTE_QUEUE_URL = $engine.Url; FAL_KEY = $engine.ApiKey }
        $result = Read-Result $resultPath

        # Loaded by name from where Install-PSResource put it, not from the build output.
        $result.ModuleBase | Should -Be (Join-Path $installed.ModuleLocation "Cassette/$version")
        $result.ModuleBase | Should -Not -BeLike "$root*"
        Join-Path $result.ModuleBase 'LICENSE' | Should -Exist
        # Where README and about_Cassette tell an installed module's user to find the runbook, exactly as in the repository.
        $shippedRunbook = Join-Path $result.ModuleBase 'examples/runbook.ps1'
        $shippedRunbook | Should -Exist
        Get-Content -LiteralPath $shippedRunbook -Raw | Should -BeExactly (Get-Content -LiteralPath (Join-Path $root 'examples/runbook.ps1') -Raw)
        $result.Version | Should -Be $version
        $result.ReleaseNotes | Should -Be (Get-ChangelogSection -Path (Join-Path $root 'CHANGELOG.md') -Version $version)

        $result.SavedPath | Should -BeLike "$output*"
        $result.SavedLength | Should -Be $result.TrackFileSize
        $result.SavedLength | Should -Be (44 + 10 * 44100 * 4)
        $result.Duration | Should -Be 10
        $result.SampleRate | Should -Be 44100
        $result.Channels | Should -Be 2

        Stop-CassetteLocalEngine $engine
        $engine.Process.HasExited | Should -BeTrue
        $script:engine = $null
    }
}

Describe 'The runbook zip' {
    BeforeAll {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $script:zipPath = Join-Path $packageFolder "Cassette-$version.zip"
        $script:extracted = Join-Path $TestDrive 'runbook'
        [IO.Compression.ZipFile]::ExtractToDirectory($zipPath, $extracted)
    }

    It 'has one root folder, Cassette, holding the manifest, the module, the licence and the runbook example' {
        $zip = [IO.Compression.ZipFile]::OpenRead($zipPath)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        @($entries | ForEach-Object { ($_ -split '/')[0] } | Sort-Object -Unique) | Should -Be @('Cassette')
        $entries | Should -Contain 'Cassette/Cassette.psd1'
        $entries | Should -Contain 'Cassette/Cassette.dll'
        $entries | Should -Contain 'Cassette/LICENSE'
        $entries | Should -Contain 'Cassette/en-US/about_Cassette.help.txt'
        $entries | Should -Contain 'Cassette/examples/runbook.ps1'
    }

    It 'imports in a fresh pwsh from the extracted folder' {
        $resultPath = Join-Path $TestDrive 'zip.json'
        $folder = Join-Path $extracted 'Cassette'
        Invoke-IsolatedPwsh -HomeFolder (Join-Path $TestDrive 'runbook-home') -File (Join-Path $PSScriptRoot 'Packaging/Use-Module.ps1') `
            -Parameters @{ Module = $folder; ResultPath = $resultPath }
        $result = Read-Result $resultPath
        $result.ModuleBase | Should -Be $folder
        $result.Version | Should -Be $version
        $result.Commands | Should -Be @('Clear-CassetteJournal', 'Get-CassetteJob', 'New-CassetteTrack', 'Save-CassetteAudio', 'Stop-CassetteJob')
    }
}
