# What build.ps1 ships: the module folder's shipped files (licence, release notes), the module's PSResource
# package, the engine's .NET tool package and the runbook zip. Used by build.ps1 (Build, Package) and by
# tests/Pester/Packaging.Tests.ps1, so the test packs exactly as the Package task does.

Set-StrictMode -Version 3
# Get-PwshCommand: how to start another pwsh like this one.
Import-Module (Join-Path $PSScriptRoot 'LocalEngine.psm1')

function Get-ChangelogSection {
    <#
    .SYNOPSIS
    The text of one version's section in a Keep a Changelog file, without its heading.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Version)
    $lines = Get-Content -LiteralPath $Path
    $heading = '^## \[' + [regex]::Escape($Version) + '\]'
    $start = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match $heading) { $i } }) | Select-Object -First 1
    if ($null -eq $start) {
        throw "$Path has no '## [$Version]' section; add one (Keep a Changelog form) before building version $Version."
    }
    $section = for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^## '; $i++) { $lines[$i] }
    $text = ($section -join "`n").Trim()
    if (-not $text) { throw "$Path has an empty '## [$Version]' section." }
    $text
}

function Add-ModuleShippedFile {
    <#
    .SYNOPSIS
    Puts the licence and the examples into a built module folder and stamps its manifest's ReleaseNotes from CHANGELOG.md.
    .DESCRIPTION
    The source manifest keeps no release notes, so the version and the notes each have one source: the manifest's
    ModuleVersion picks the changelog section, and only the copy in the module folder is stamped.
    The examples (the runbook README and about_Cassette show) go to <module folder>/examples, so every package built
    from the folder carries them and an installed module has them beside its manifest.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $ModuleFolder)
    Copy-Item -LiteralPath (Join-Path $Root 'LICENSE') -Destination $ModuleFolder
    $examples = New-Item -ItemType Directory -Path (Join-Path $ModuleFolder 'examples') -Force
    Copy-Item -Path (Join-Path $Root 'examples/*') -Destination $examples.FullName -Recurse -Force

    $manifestPath = Join-Path $ModuleFolder 'Cassette.psd1'
    $version = (Import-PowerShellDataFile -LiteralPath $manifestPath).ModuleVersion
    $notes = Get-ChangelogSection -Path (Join-Path $Root 'CHANGELOG.md') -Version $version
    $text = Get-Content -LiteralPath $manifestPath -Raw
    if ($text -notmatch 'PSData\s*=\s*@\{') { throw "$manifestPath has no PrivateData.PSData table to put the release notes in." }
    # A single-quoted string keeps every character literally once its quotes are doubled (PowerShell also takes
    # the typographic single quotes as quotes).
    $quoted = "'" + ($notes -replace "['\u2018\u2019\u201A\u201B]", '$0$0') + "'"
    $stamped = [regex]::new('PSData\s*=\s*@\{').Replace($text, { param($m) "$($m.Value)`n            ReleaseNotes = $quoted" }, 1)
    # With a byte order mark, so Windows PowerShell 5.1 reads any non-ASCII note as UTF-8, not as the ANSI code page.
    [IO.File]::WriteAllText($manifestPath, $stamped, [Text.UTF8Encoding]::new($true))
    if ((Import-PowerShellDataFile -LiteralPath $manifestPath).PrivateData.PSData.ReleaseNotes -cne $notes) {
        throw "The release notes stamped into $manifestPath do not read back as written."
    }
}

function Invoke-IsolatedPwsh {
    <#
    .SYNOPSIS
    Runs a script in a fresh pwsh whose home (and so its PSResourceGet, NuGet, .NET and module state) is a
    temporary folder, so packaging and its tests never touch the user's own repositories, caches or modules.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $HomeFolder,
        [Parameter(Mandatory)] [string] $File,
        [hashtable] $Parameters = @{},
        # More variables for the child, such as the queue address and key of a test's engine.
        [hashtable] $Environment = @{},
        # Only stops a hang; a slow, busy machine must never reach it.
        [int] $TimeoutSec = 1800
    )
    $HomeFolder = [IO.Path]::GetFullPath($HomeFolder)
    # .NET reports a user folder that does not exist as '', and NuGet then writes its NuGet.Config relative to the
    # current directory: create them, and run the child from the temporary home.
    foreach ($folder in '.config', '.local/share', '.cache') { New-Item -ItemType Directory -Path (Join-Path $HomeFolder $folder) -Force | Out-Null }
    $variables = @{
        HOME = $HomeFolder; USERPROFILE = $HomeFolder; DOTNET_CLI_HOME = $HomeFolder
        XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null
        # pwsh builds a fresh module path from the temporary home, as on a user's machine.
        PSModulePath = $null
        NUGET_PACKAGES = (Join-Path $HomeFolder '.nuget/packages')
        POWERSHELL_TELEMETRY_OPTOUT = '1'; POWERSHELL_UPDATECHECK = 'Off'; DOTNET_CLI_TELEMETRY_OPTOUT = '1'; DOTNET_NOLOGO = '1'
    }
    if ($IsWindows) { $variables.LOCALAPPDATA = Join-Path $HomeFolder 'AppData/Local'; $variables.APPDATA = Join-Path $HomeFolder 'AppData/Roaming' }
    foreach ($name in $Environment.Keys) { $variables[$name] = $Environment[$name] }

    $pwsh = @(Get-PwshCommand)
    # ProcessStartInfo rather than Start-Process: its ArgumentList quotes each argument, and its environment is the
    # child's alone, so this process's variables are never changed.
    $start = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File)) { $start.ArgumentList.Add($argument) }
    foreach ($entry in $Parameters.GetEnumerator()) { $start.ArgumentList.Add("-$($entry.Key)"); $start.ArgumentList.Add([string]$entry.Value) }
    $start.UseShellExecute = $false
    $start.WorkingDirectory = $HomeFolder
    foreach ($name in $variables.Keys) {
        if ($null -eq $variables[$name]) { [void]$start.Environment.Remove($name) } else { $start.Environment[$name] = [string]$variables[$name] }
    }
    $process = [Diagnostics.Process]::Start($start)
    try {
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            $process.Kill($true)
            throw "$File did not finish within $TimeoutSec s."
        }
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) { throw "$File failed with exit code $($process.ExitCode)." }
    }
    finally {
        $process.Dispose()
    }
}

function New-ModulePackage {
    <#
    .SYNOPSIS
    Makes Cassette.<version>.nupkg from a module folder with PSResourceGet's own Publish-PSResource.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ModuleFolder, [Parameter(Mandatory)] [string] $OutputFolder)
    $scratch = Join-Path ([IO.Path]::GetTempPath()) ('cassette-package-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $scratch | Out-Null
    try {
        Invoke-IsolatedPwsh -HomeFolder $scratch -File (Join-Path $PSScriptRoot 'Publish-ModulePackage.ps1') `
            -Parameters @{ ModuleFolder = $ModuleFolder; OutputFolder = $OutputFolder }
    }
    finally {
        Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function New-EnginePackage {
    <#
    .SYNOPSIS
    Makes Cassette.LocalEngine.<version>.nupkg, the engine as the .NET tool cassette-engine.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Root,
        [Parameter(Mandatory)] [string] $Version,
        [Parameter(Mandatory)] [string] $Configuration,
        [Parameter(Mandatory)] [string] $OutputFolder,
        # The Package task has just built this configuration; the tests pack without it, which builds only what is stale.
        [switch] $NoBuild
    )
    $arguments = @('pack', (Join-Path $Root 'src/Cassette.LocalEngine'), '-c', $Configuration, '-nologo', '--verbosity', 'quiet',
        "-p:Version=$Version", '-o', $OutputFolder)
    if ($NoBuild) { $arguments += '--no-build' }
    & dotnet @arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet pack of the local engine failed with exit code $LASTEXITCODE." }
}

function New-ModuleZip {
    <#
    .SYNOPSIS
    Zips a module folder as runbook platforms import it: one root folder named after the module.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ModuleFolder, [Parameter(Mandatory)] [string] $Path)
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Force }
    # .NET writes '/' separators on every platform (Compress-Archive did not always), and includeBaseDirectory
    # gives the root folder the module folder's own name.
    [IO.Compression.ZipFile]::CreateFromDirectory($ModuleFolder, $Path, [IO.Compression.CompressionLevel]::Optimal, $true)
}

function New-CassettePackage {
    <#
    .SYNOPSIS
    Writes the three shipped files for a built module folder into OutputFolder, replacing what was there.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Root,
        [Parameter(Mandatory)] [string] $ModuleFolder,
        [Parameter(Mandatory)] [string] $Configuration,
        [Parameter(Mandatory)] [string] $OutputFolder,
        [switch] $NoBuild
    )
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $ModuleFolder 'Cassette.psd1')
    if (-not $manifest.PrivateData.PSData.ContainsKey('ReleaseNotes')) {
        throw "$ModuleFolder has no stamped release notes; build it with build.ps1 first."
    }
    $version = $manifest.ModuleVersion
    if (Test-Path -LiteralPath $OutputFolder) { Remove-Item -LiteralPath $OutputFolder -Recurse -Force }
    New-Item -ItemType Directory -Path $OutputFolder | Out-Null
    $OutputFolder = (Resolve-Path -LiteralPath $OutputFolder).ProviderPath

    New-ModulePackage -ModuleFolder $ModuleFolder -OutputFolder $OutputFolder
    New-EnginePackage -Root $Root -Version $version -Configuration $Configuration -OutputFolder $OutputFolder -NoBuild:$NoBuild
    New-ModuleZip -ModuleFolder $ModuleFolder -Path (Join-Path $OutputFolder "Cassette-$version.zip")

    foreach ($name in "Cassette.$version.nupkg", "Cassette.LocalEngine.$version.nupkg", "Cassette-$version.zip") {
        $path = Join-Path $OutputFolder $name
        if (-not (Test-Path -LiteralPath $path)) { throw "Packaging did not produce $path." }
        Get-Item -LiteralPath $path
    }
}

Export-ModuleMember -Function Get-ChangelogSection, Add-ModuleShippedFile, Invoke-IsolatedPwsh, New-ModulePackage, New-EnginePackage,
    New-ModuleZip, New-CassettePackage
