using System;
using System.Management.Automation;
using Cassette.Protocol;

namespace Cassette.Validation
{
    /// <summary>
    /// Accepts only absolute http and https urls, so a typo fails at binding with the parameter's name, before any request.
    /// A message never repeats a user name or password the url carries; where the url is the queue (AllowUserInfo =
    /// false), one is refused outright, so it cannot reach the journal, an object or a message.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateHttpUrlAttribute : ValidateArgumentsAttribute
    {
        /// <summary>False for the queue address: the key is how the queue knows the caller; a password there is only a leak.</summary>
        public bool AllowUserInfo { get; set; } = true;

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            var url = value as Uri;
            if (url is null && value is string text) Uri.TryCreate(text, UriKind.Absolute, out url);
            if (url != null && url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                if (AllowUserInfo || !HttpUrls.HasUserInfo(url)) return;
                throw new ValidationMetadataException(
                    $"The queue address {HttpUrls.Authority(url)} carries a user name or password, which would be written to the journal and shown in " +
                    "every request object. Give the address without it; the fal key goes in -ApiKey or FAL_KEY.");
            }
            string shown = url != null && url.IsAbsoluteUri && HttpUrls.HasUserInfo(url) ? HttpUrls.Authority(url) : value?.ToString() ?? "";
            throw new ValidationMetadataException($"'{shown}' is not an absolute http or https url (such as https://queue.fal.run).");
        }
    }
}
