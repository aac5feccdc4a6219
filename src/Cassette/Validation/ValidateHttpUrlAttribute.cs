using System;
using System.Management.Automation;

namespace Cassette.Validation
{
    /// <summary>Accepts only absolute http and https urls, so a typo fails at binding with the parameter's name, before any request.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateHttpUrlAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            var url = value as Uri;
            if (url is null && value is string text) Uri.TryCreate(text, UriKind.Absolute, out url);
            if (url != null && url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)) return;
            throw new ValidationMetadataException($"'{value}' is not an absolute http or https url (such as https://queue.fal.run).");
        }
    }
}
