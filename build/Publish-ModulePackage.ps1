<#
.SYNOPSIS
Makes the module's .nupkg with PSResourceGet's own commands: publishes the module folder to a temporary local
repository and copies the package out. build/Packaging.psm1 runs it in a pwsh with a temporary home, so the
repository registered here never appears among the user's own.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$repositoryName = 'CassettePackaging' + [guid]::NewGuid().ToString('N')
$repositoryFolder = Join-Path ([IO.Path]::GetTempPath()) $repositoryName
New-Item -ItemType Directory -Path $repositoryFolder | Out-Null
try {
    Register-PSResourceRepository -Name $repositoryName -Uri $repositoryFolder -Trusted
    Publish-PSResource -Path $ModuleFolder -Repository $repositoryName
    $package = @(Get-ChildItem -LiteralPath $repositoryFolder -Filter '*.nupkg')
    if ($package.Count -ne 1) { throw "Publish-PSResource left $($package.Count) packages in $repositoryFolder; expected one." }
    Copy-Item -LiteralPath $package[0].FullName -Destination $OutputFolder
}
finally {
    # Also on Windows, where the repository store does not follow the temporary home.
    Unregister-PSResourceRepository -Name $repositoryName -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $repositoryFolder -Recurse -Force -ErrorAction SilentlyContinue
}
