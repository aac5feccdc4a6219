using System;
using System.Globalization;
using System.Management.Automation;

namespace Cassette.Validation
{
    /// <summary>
    /// A duration check whose message names both ends of the range, which ValidateRange's does not
    /// ("less than the minimum allowed range of 10" leaves the user guessing the maximum).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateDurationAttribute : ValidateArgumentsAttribute
    {
        public ValidateDurationAttribute(int minimum, int maximum)
        {
            Minimum = minimum;
            Maximum = maximum;
        }

        public int Minimum { get; }
        public int Maximum { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is int seconds && seconds >= Minimum && seconds <= Maximum) return;
            throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                "-Duration must be a whole number of seconds from {0} to {1}; {2} is outside that range.", Minimum, Maximum, value));
        }
    }
}
