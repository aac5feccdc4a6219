using System;

namespace Cassette.Protocol
{
    /// <summary>
    /// The only urls the module follows: absolute http and https. A reply or a journal line that names a file://, ftp:// or
    /// javascript: url gets nothing from it; a user name and password in a url is never kept (it would be shown in
    /// objects and messages and written to the journal).
    /// </summary>
    internal static class HttpUrls
    {
        public static bool IsHttp(Uri? url) =>
            url != null && url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Host.Length > 0;

        /// <summary>The text as an absolute http(s) url, else null.</summary>
        public static Uri? Parse(string? text) =>
            !string.IsNullOrWhiteSpace(text) && Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var url) && IsHttp(url) ? url : null;

        public static bool HasUserInfo(Uri? url) => url != null && url.IsAbsoluteUri && url.UserInfo.Length > 0;

        public static Uri? WithoutUserInfo(Uri? url)
        {
            if (url is null || !HasUserInfo(url)) return url;
            return new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri;
        }

        /// <summary>scheme://host:port of a url, which never carries user info, a path or a query: safe to show.</summary>
        public static string Authority(Uri url) =>
            url.IsAbsoluteUri ? url.Scheme + "://" + url.Host + (url.IsDefaultPort ? "" : ":" + url.Port) : "(not an absolute url)";
    }
}
