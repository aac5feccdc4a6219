using System;
using System.Net;

namespace Cassette.Http
{
    /// <summary>
    /// Whether the key may travel to a queue address: over https always, over plain http only to this machine
    /// (127.0.0.0/8, ::1, localhost), where nobody on the network can read it. Anything else needs the user's
    /// explicit -AllowUnencryptedAuthentication, as with Invoke-RestMethod.
    /// </summary>
    internal static class TransportSecurity
    {
        public static bool IsLoopback(Uri url)
        {
            string host = url.DnsSafeHost;
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            if (!IPAddress.TryParse(host, out var address)) return false;
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            return IPAddress.IsLoopback(address);
        }

        public static bool MaySendKey(Uri queueUrl, bool allowUnencrypted) =>
            allowUnencrypted || string.Equals(queueUrl.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) || IsLoopback(queueUrl);
    }
}
