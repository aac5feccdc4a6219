using System;
using System.Globalization;
using System.Management.Automation;

namespace Cassette.Validation
{
    /// <summary>
    /// Each prompt must say something, and not be so long that it can only be a mistake (a whole file piped by accident).
    /// Checked per element, as -Prompt takes several.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidatePromptAttribute : ValidateEnumeratedArgumentsAttribute
    {
        public const int MaxLength = 10000;

        protected override void ValidateElement(object element)
        {
            object value = element is PSObject wrapped ? wrapped.BaseObject : element;
            string? text = value as string;
            if (string.IsNullOrWhiteSpace(text))
                throw new ValidationMetadataException("-Prompt must describe the music; it is empty or only white space.");
            if (text!.Length > MaxLength)
                throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "-Prompt may be at most {0} characters long; this one has {1}.", MaxLength, text.Length));
        }
    }
}
