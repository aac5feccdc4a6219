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
        /// cmdlet), else FAL_KEY, else FAL_KEY_ID + FAL_KEY_SECRET.
        /// </summary>
        public static FalApiKey? Resolve(object? parameter)
        {
            string? fromParameter = parameter switch
            {
                null => null,
                SecureString secure => Unprotect(secure),
                _ => parameter.ToString(),
            };
            if (!string.IsNullOrWhiteSpace(fromParameter)) return new FalApiKey(fromParameter!.Trim());

            string? key = Environment.GetEnvironmentVariable("FAL_KEY");
            if (!string.IsNullOrWhiteSpace(key)) return new FalApiKey(key!.Trim());

            string? id = Environment.GetEnvironmentVariable("FAL_KEY_ID");
            string? secret = Environment.GetEnvironmentVariable("FAL_KEY_SECRET");
            if (!string.IsNullOrWhiteSpace(id) && !string.IsNullOrWhiteSpace(secret))
                return new FalApiKey(id!.Trim() + ":" + secret!.Trim());
            return null;
        }

        private static string Unprotect(SecureString secure)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try { return Marshal.PtrToStringUni(pointer) ?? string.Empty; }
            finally { Marshal.ZeroFreeGlobalAllocUnicode(pointer); }
        }
    }
}
