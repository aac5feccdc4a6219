<#
.SYNOPSIS
Installs the packages as a user would, in the temporary home Packaging.Tests.ps1 gives it: the module with
Install-PSResource from a repository over the packages folder, and cassette-engine with dotnet tool install --tool-path.
Writes where each went to ResultPath as JSON.
#>
param(
    [Parameter(Mandatory)] [string] $PackageFolder,
    [Parameter(Mandatory)] [string] $Version,
    [Parameter(Mandatory)] [string] $ToolPath,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

Register-PSResourceRepository -Name CassetteLocal -Uri $PackageFolder -Trusted
Install-PSResource -Name Cassette -Version $Version -Repository CassetteLocal -Scope CurrentUser
$installed = Get-InstalledPSResource -Name Cassette -Version $Version

# Only the packages folder as a source: nothing is looked up on the internet, and no package of the same name
# elsewhere can win.
$config = Join-Path $HOME 'nuget.config'
Set-Content -LiteralPath $config -Value @"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="CassetteLocal" value="$([Security.SecurityElement]::Escape($PackageFolder))" />
  </packageSources>
</configuration>
"@
& dotnet tool install Cassette.LocalEngine --version $Version --tool-path $ToolPath --configfile $config
if ($LASTEXITCODE -ne 0) { throw "dotnet tool install failed with exit code $LASTEXITCODE." }

[ordered]@{
    ModuleLocation = $installed.InstalledLocation
    Repositories   = @(Get-PSResourceRepository | ForEach-Object Name)
} | ConvertTo-Json | Set-Content -LiteralPath $ResultPath
