using System;
using System.Management.Automation;
using System.Security;

namespace Cassette.Validation
{
    /// <summary>-ApiKey takes a string or a SecureString; the message never repeats the value.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateApiKeyAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is SecureString secure && secure.Length > 0) return;
            if (value is string text && !string.IsNullOrWhiteSpace(text)) return;
            throw new ValidationMetadataException(value is string || value is SecureString
                ? "-ApiKey is empty."
                : $"-ApiKey must be a string or a SecureString, not a {value?.GetType().Name ?? "null"}.");
        }
    }
}
