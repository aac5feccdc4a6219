using System;
using System.Text;
using System.Text.RegularExpressions;

namespace Cassette.Download
{
    /// <summary>
    /// File names that are valid on every file system: ASCII letters, digits, '-', '_' and '.', no leading dot,
    /// no trailing dot or space, never a Windows device name (CON, NUL, COM1...), and short.
    /// </summary>
    internal static class SafeFileName
    {
        private static readonly Regex DeviceName = new Regex(@"^(CON|PRN|AUX|NUL|CLOCK\$|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>"smooth-chill-hip-hop-beat-1a2b3c4d.wav" from the prompt and the request id.</summary>
        public static string ForTrack(string? prompt, string? requestId)
        {
            string stem = Slug(prompt ?? string.Empty, 40, lower: true);
            string id = Slug(requestId ?? string.Empty, 8, lower: true);
            if (stem.Length == 0) stem = "track";
            return Finish(id.Length == 0 ? stem : stem + "-" + id, ".wav");
        }

        /// <summary>A name from the url's last path segment, with .wav when it has no audio extension.</summary>
        public static string ForUrl(Uri url) => ForServerName(Uri.UnescapeDataString(url.AbsolutePath.TrimEnd('/')));

        /// <summary>A name a server suggested (a url segment, a result's file_name), reduced to its last part and made safe.</summary>
        public static string ForServerName(string name)
        {
            string segment = name.TrimEnd('/', '\\');
            int slash = Math.Max(segment.LastIndexOf('/'), segment.LastIndexOf('\\'));
            if (slash >= 0) segment = segment.Substring(slash + 1);
            if (segment.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)) segment = segment.Substring(0, segment.Length - 4);
            string stem = Slug(segment, 80, lower: false);
            return Finish(stem.Length == 0 ? "audio" : stem, ".wav");
        }

        private static string Finish(string stem, string extension)
        {
            // A device name stays a device name whatever its extension: CON.wav is still CON on Windows.
            string firstPart = stem.Split('.')[0];
            if (DeviceName.IsMatch(firstPart)) stem = "audio-" + stem;
            return stem + extension;
        }

        private static string Slug(string text, int maxLength, bool lower)
        {
            var name = new StringBuilder();
            foreach (char c in text)
            {
                if (name.Length >= maxLength) break;
                bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (!lower && (c == '_' || c == '.'));
                if (keep) name.Append(lower ? char.ToLowerInvariant(c) : c);
                else if (name.Length > 0 && name[name.Length - 1] != '-') name.Append('-');
            }
            return name.ToString().Trim('-', '.', ' ');
        }
    }
}
