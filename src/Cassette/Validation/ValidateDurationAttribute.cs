using System;
using System.Globalization;
using System.Management.Automation;
using Cassette.Protocol;

namespace Cassette.Validation
{
    /// <summary>
    /// The check -Duration can make while it is bound, before -Model is known: a positive number of seconds. The
    /// model's own range (ModelCatalogue) is checked once the model is known, before anything is sent; a model the
    /// module does not know is checked by the server alone. The message names the known models' ranges.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateDurationAttribute : ValidateArgumentsAttribute
    {
        public const int Minimum = 1;

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is int seconds && seconds >= Minimum) return;
            throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                "-Duration must be a whole number of seconds, at least {0} ({1}); {2} is not.", Minimum, ModelCatalogue.Ranges, value));
        }
    }
}
