<#
.SYNOPSIS
Compiles the cmdlet help in src/Cassette/help/*.md into MAML (src/Cassette/en-US/Cassette.dll-Help.xml).

.DESCRIPTION
The markdown holds the words (synopsis, description, examples, one section per parameter, inputs, outputs, notes);
the built module supplies the facts (parameter sets, types, positions, pipeline input, aliases), read with
Get-Command, and the defaults, read from a fresh instance of each cmdlet, so the help cannot drift from the code.
A parameter heading may name the value shown in the syntax when the declared type says too little, such as
"### -ApiKey <SecureString>" for a parameter declared as Object. Fails when a cmdlet has fewer than three examples or a
parameter has no description. Run it after changing a cmdlet's parameters or its markdown, and commit the XML:

    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./build/New-CassetteHelp.ps1

.PARAMETER ModulePath
The built module to read parameter facts from (default ./out/Cassette).

.PARAMETER OutputPath
Where to write the MAML (default src/Cassette/en-US/Cassette.dll-Help.xml).
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Cassette'),
    [string] $SourcePath = (Join-Path $PSScriptRoot '../src/Cassette/help'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '../src/Cassette/en-US/Cassette.dll-Help.xml')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

# PowerShell passes $null to a string argument as '', so every element names its namespace.
$ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$standardDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Read-HelpMarkdown([string] $path) {
    $help = [ordered]@{ Synopsis = ''; Description = ''; Examples = [System.Collections.Generic.List[object]]::new(); Parameters = @{}; ValueNames = @{}
        Inputs = [System.Collections.Generic.List[object]]::new(); Outputs = [System.Collections.Generic.List[object]]::new(); Notes = ''; Links = @() }
    $section = $null; $item = $null; $buffer = [System.Text.StringBuilder]::new()
    $flush = {
        $text = $buffer.ToString().Trim(); $null = $buffer.Clear()
        switch ($section) {
            'SYNOPSIS' { $help.Synopsis = $text }
            'DESCRIPTION' { $help.Description = $text }
            'NOTES' { $help.Notes = $text }
            'RELATED LINKS' { $help.Links = @($text -split "`n" | ForEach-Object { $_.Trim().TrimStart('-', ' ') } | Where-Object { $_ }) }
            'EXAMPLES' { if ($item) { $help.Examples.Add(@{ Title = $item; Text = $text }) } }
            'PARAMETERS' {
                if ($item -match '^-(\S+)(?:\s+<([^>]+)>)?$') {
                    $help.Parameters[$Matches[1]] = $text
                    if ($Matches[2]) { $help.ValueNames[$Matches[1]] = $Matches[2] }
                }
            }
            'INPUTS' { if ($item) { $help.Inputs.Add(@{ Type = $item; Text = $text }) } }
            'OUTPUTS' { if ($item) { $help.Outputs.Add(@{ Type = $item; Text = $text }) } }
        }
    }
    $inCode = $false
    foreach ($line in Get-Content -LiteralPath $path) {
        if ($line -match '^```') { $inCode = -not $inCode; $null = $buffer.AppendLine($line); continue }
        if (-not $inCode -and $line -match '^## (.+)$') { & $flush; $section = $Matches[1].Trim().ToUpperInvariant(); $item = $null; continue }
        if (-not $inCode -and $line -match '^### (.+)$') { & $flush; $item = $Matches[1].Trim(); continue }
        if (-not $inCode -and $line -match '^# ') { continue }
        $null = $buffer.AppendLine($line)
    }
    & $flush
    $help
}

function Split-Example([string] $text) {
    # The first fenced block is the code; everything after it is the remarks.
    if ($text -match '(?s)^```[a-z]*\r?\n(.*?)\r?\n```\s*(.*)$') { return $Matches[1], $Matches[2].Trim() }
    throw "An example has no fenced code block: $text"
}

function Add-Paragraphs([System.Xml.XmlWriter] $w, [string] $text) {
    foreach ($para in ($text -split '\r?\n\s*\r?\n')) {
        $w.WriteElementString('maml', 'para', $ns.maml, (($para -split '\r?\n' | ForEach-Object { $_.Trim() }) -join ' ').Trim())
    }
}

function Get-PipelineText($attribute) {
    $kinds = @()
    if ($attribute.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($attribute.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Get-DefaultText($cmdlet, $parameter, $attribute) {
    # What the parameter is when it is not given, as Get-Help shows it for PowerShell's own cmdlets.
    if ($attribute.Mandatory) { return 'None' }
    $property = $cmdlet.PSObject.Properties[$parameter.Name]
    # -WhatIf and -Confirm belong to PowerShell, not to the cmdlet's properties.
    if (-not $property) { return $(if ($parameter.SwitchParameter) { 'False' } else { 'None' }) }
    $value = $property.Value
    if ($value -is [switch]) { return $value.IsPresent.ToString() }
    if ($null -eq $value -or "$value" -eq '') { return 'None' }
    if ($value -is [array]) { return ($value | ForEach-Object { [string]$_ }) -join ', ' }
    [System.Convert]::ToString($value, [System.Globalization.CultureInfo]::InvariantCulture)
}

function Write-Parameter([System.Xml.XmlWriter] $w, $parameter, $attribute, [string] $description, [bool] $inSyntax, [string] $valueName, [string] $default) {
    $isSwitch = $parameter.ParameterType -eq [switch]
    $w.WriteStartElement('command', 'parameter', $ns.command)
    $w.WriteAttributeString('required', $attribute.Mandatory.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', $parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', ($parameter.Name -eq 'Path').ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', (Get-PipelineText $attribute))
    $w.WriteAttributeString('position', $(if ($attribute.Position -ge 0) { "$($attribute.Position)" } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $ns.maml, $parameter.Name)
    if (-not $inSyntax) {
        $w.WriteStartElement('maml', 'description', $ns.maml); Add-Paragraphs $w $description; $w.WriteEndElement()
    }
    $set = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($inSyntax -and $set) {
        $w.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($value in $set.ValidValues) {
            $w.WriteStartElement('command', 'parameterValue', $ns.command); $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($value); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    elseif (-not ($inSyntax -and $isSwitch)) {
        $typeName = if ($valueName) { $valueName } elseif ($parameter.ParameterType.IsGenericType) { $parameter.ParameterType.GetGenericArguments()[0].Name + $(if ($parameter.ParameterType.Name -like 'Nullable*') { '' } else { '[]' }) } else { $parameter.ParameterType.Name }
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant()); $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($typeName); $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $parameter.ParameterType.FullName); $w.WriteEndElement()
    if (-not $inSyntax) { $w.WriteElementString('dev', 'defaultValue', $ns.dev, $default) }
    $w.WriteEndElement()
}

Import-Module (Resolve-Path -LiteralPath $ModulePath).Path -Force
# Parameters every queue cmdlet shares (-ApiKey, -QueueUrl, ...) are described once, in _Common.md.
$shared = Read-HelpMarkdown (Join-Path $SourcePath '_Common.md')
$problems = [System.Collections.Generic.List[string]]::new()
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false); NewLineChars = "`n" }
$memory = [System.IO.MemoryStream]::new()
$w = [System.Xml.XmlWriter]::Create($memory, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
foreach ($prefix in 'maml', 'command', 'dev') { $w.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $ns[$prefix]) }
foreach ($command in Get-Command -Module Cassette -CommandType Cmdlet | Sort-Object Name) {
    $source = Join-Path $SourcePath "$($command.Name).md"
    if (-not (Test-Path -LiteralPath $source)) { $problems.Add("$($command.Name): no $source"); continue }
    $help = Read-HelpMarkdown $source
    foreach ($name in $shared.Parameters.Keys) {
        if (-not $help.Parameters.ContainsKey($name) -and $command.Parameters.ContainsKey($name)) {
            $help.Parameters[$name] = $shared.Parameters[$name]
            if ($shared.ValueNames.ContainsKey($name)) { $help.ValueNames[$name] = $shared.ValueNames[$name] }
        }
    }
    # A cmdlet's defaults are the values its properties start with.
    $fresh = [System.Activator]::CreateInstance($command.ImplementingType)
    if (-not $help.Synopsis) { $problems.Add("$($command.Name): no synopsis") }
    if ($help.Examples.Count -lt 3) { $problems.Add("$($command.Name): $($help.Examples.Count) examples, at least 3 wanted") }
    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' }
    foreach ($p in $parameters) {
        if (-not $help.Parameters.ContainsKey($p.Name) -and -not $standardDescriptions.ContainsKey($p.Name)) { $problems.Add("$($command.Name): -$($p.Name) has no description") }
    }
    foreach ($documented in $help.Parameters.Keys) {
        if (-not $command.Parameters.ContainsKey($documented)) { $problems.Add("$($command.Name): documents -$documented, which it does not have") }
    }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $command.Name)
    $w.WriteElementString('command', 'verb', $ns.command, $command.Verb)
    $w.WriteElementString('command', 'noun', $ns.command, $command.Noun)
    $w.WriteStartElement('maml', 'description', $ns.maml); Add-Paragraphs $w $help.Synopsis; $w.WriteEndElement()
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $ns.maml); Add-Paragraphs $w $help.Description; $w.WriteEndElement()

    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $command.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $command.Name)
        # Positional parameters by position, then the mandatory ones, then the rest as declared (an index keeps
        # the sort stable: Sort-Object alone may reverse equal keys).
        $declared = @($set.Parameters.Name)
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' } |
                Sort-Object @{ e = { if ($_.Position -ge 0) { $_.Position } else { 1000 } } }, @{ e = { -[int]$_.IsMandatory } }, @{ e = { $declared.IndexOf($_.Name) } }) {
            $p = $command.Parameters[$sp.Name]
            $attribute = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ParameterSetName -eq $set.Name -or $_.ParameterSetName -eq '__AllParameterSets') } | Select-Object -First 1
            Write-Parameter $w $p $attribute '' $true $help.ValueNames[$p.Name] ''
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $parameters | Sort-Object Name) {
        $attribute = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Sort-Object { -[int]$_.Mandatory } | Select-Object -First 1
        $description = if ($help.Parameters.ContainsKey($p.Name)) { $help.Parameters[$p.Name] } else { $standardDescriptions[$p.Name] }
        Write-Parameter $w $p $attribute $description $false $help.ValueNames[$p.Name] (Get-DefaultText $fresh $p $attribute)
    }
    $w.WriteEndElement()
    if ($fresh -is [System.IDisposable]) { $fresh.Dispose() }

    foreach ($kind in @(@{ Outer = 'inputTypes'; Inner = 'inputType'; Items = $help.Inputs }, @{ Outer = 'returnValues'; Inner = 'returnValue'; Items = $help.Outputs })) {
        $w.WriteStartElement('command', $kind.Outer, $ns.command)
        foreach ($entry in $kind.Items) {
            $w.WriteStartElement('command', $kind.Inner, $ns.command)
            $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $entry.Type); $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $ns.maml); Add-Paragraphs $w $entry.Text; $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if ($help.Notes) {
        $w.WriteStartElement('maml', 'alertSet', $ns.maml); $w.WriteStartElement('maml', 'alert', $ns.maml); Add-Paragraphs $w $help.Notes; $w.WriteEndElement(); $w.WriteEndElement()
    }
    $w.WriteStartElement('command', 'examples', $ns.command)
    foreach ($example in $help.Examples) {
        $code, $remarks = Split-Example $example.Text
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $($example.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $ns.dev, $code)
        $w.WriteStartElement('dev', 'remarks', $ns.dev); Add-Paragraphs $w $remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $help.Links) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml); $w.WriteElementString('maml', 'linkText', $ns.maml, $link); $w.WriteElementString('maml', 'uri', $ns.maml, ''); $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Flush()
if ($problems.Count) { throw "The help is incomplete:`n  " + ($problems -join "`n  ") }
$folder = Split-Path $OutputPath -Parent
if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder }
[System.IO.File]::WriteAllBytes([System.IO.Path]::GetFullPath($OutputPath), $memory.ToArray())
Write-Verbose "Wrote $OutputPath"
