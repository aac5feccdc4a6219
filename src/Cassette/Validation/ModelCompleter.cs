using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Cassette.Protocol;

namespace Cassette.Validation
{
    /// <summary>Tab completion for -Model: CassetteAI's endpoints on fal.</summary>
    public sealed class ModelCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (string model in FalModelId.Known)
            {
                if (model.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ||
                    model.IndexOf("/" + typed, StringComparison.OrdinalIgnoreCase) >= 0)
                    yield return new CompletionResult(model, model, CompletionResultType.ParameterValue, model);
            }
        }
    }
}
