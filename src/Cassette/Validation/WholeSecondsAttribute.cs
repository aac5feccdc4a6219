using System;
using System.Globalization;
using System.Management.Automation;

namespace Cassette.Validation
{
    /// <summary>
    /// Turns -Duration's argument into whole seconds before PowerShell's own conversion, which would silently round
    /// 30.5 to 30 and say only "cannot convert" for "abc". Anything that is not a whole number fails here, naming the
    /// parameter and its range. Text is read as a number first, so a CSV cell of "10.0" (a spreadsheet's export) is
    /// ten seconds while "10.5" is still refused.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class WholeSecondsAttribute : ArgumentTransformationAttribute
    {
        public WholeSecondsAttribute(string parameterName, int minimum, int maximum)
        {
            ParameterName = parameterName;
            Minimum = minimum;
            Maximum = maximum;
        }

        public string ParameterName { get; }
        public int Minimum { get; }
        public int Maximum { get; }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case int i: return i;
                case long l when l >= int.MinValue && l <= int.MaxValue: return (int)l;
                case short s: return (int)s;
                case byte b: return (int)b;
                case double d when !double.IsNaN(d) && Math.Floor(d) == d && d >= int.MinValue && d <= int.MaxValue: return (int)d;
                case float f when Math.Floor(f) == f && f >= int.MinValue && f <= int.MaxValue: return (int)f;
                case decimal m when decimal.Floor(m) == m && m >= int.MinValue && m <= int.MaxValue: return (int)m;
                case string text when decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                        out decimal parsed) && decimal.Floor(parsed) == parsed && parsed >= int.MinValue && parsed <= int.MaxValue:
                    return (int)parsed;
            }
            throw new ArgumentTransformationMetadataException(string.Format(CultureInfo.InvariantCulture,
                "-{0} must be a whole number of seconds from {1} to {2}; '{3}' is not.", ParameterName, Minimum, Maximum, value ?? "$null"));
        }
    }
}
