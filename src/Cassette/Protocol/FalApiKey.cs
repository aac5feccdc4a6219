using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Cassette.Protocol
{
    /// <summary>
    /// The fal key in one place that never prints it: ToString is masked, so an accidental
    /// interpolation into a message, a verbose line or a serialized object does not leak it.
    /// </summary>
    internal sealed class FalApiKey
    {
        private readonly string _value;

        private FalApiKey(string value) => _value = value;

        public string AuthorizationValue => "Key " + _value;

        public override string ToString() => "***";

        /// <summary>
        /// Takes the key from the parameter (string or SecureString, already unwrapped from any PowerShell wrapper by the
        /// cmdlet), else FAL_KEY, else FAL_KEY_ID + FAL_KEY_SECRET. A key that cannot travel in a header as it is
        /// (ApiKeyCheck) is refused here, naming where it came from and never what it is, before anything is sent.
        /// </summary>
        public static FalApiKey? Resolve(object? parameter)
        {
            string? fromParameter = parameter switch
            {
                null => null,
                SecureString secure => Unprotect(secure),
                _ => parameter.ToString(),
            };
            if (!string.IsNullOrWhiteSpace(fromParameter)) return Checked(fromParameter!.Trim(), "-ApiKey");

            string? key = Environment.GetEnvironmentVariable("FAL_KEY");
            if (!string.IsNullOrWhiteSpace(key)) return Checked(key!.Trim(), "the FAL_KEY environment variable");

            string? id = Environment.GetEnvironmentVariable("FAL_KEY_ID");
            string? secret = Environment.GetEnvironmentVariable("FAL_KEY_SECRET");
            if (!string.IsNullOrWhiteSpace(id) && !string.IsNullOrWhiteSpace(secret))
            {
                Checked(id!.Trim(), "the FAL_KEY_ID environment variable");
                Checked(secret!.Trim(), "the FAL_KEY_SECRET environment variable");
                return new FalApiKey(id!.Trim() + ":" + secret!.Trim());
            }
            return null;
        }

        private static FalApiKey Checked(string key, string source)
        {
            string? problem = ApiKeyCheck.Problem(key);
            if (problem != null)
                throw new CassetteException(CassetteErrors.InvalidApiKey,
                    $"The fal key from {source} contains {problem}, which cannot be sent in an HTTP header as it is (a line break would even start a " +
                    "header of its own). Nothing was sent. Copy the key again; fal's keys are printable ASCII.");
            return new FalApiKey(key);
        }

        private static string Unprotect(SecureString secure)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try { return Marshal.PtrToStringUni(pointer) ?? string.Empty; }
            finally { Marshal.ZeroFreeGlobalAllocUnicode(pointer); }
        }
    }
}
