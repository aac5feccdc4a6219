using System;

namespace Cassette.Protocol
{
    /// <summary>
    /// A fal model id, "[namespace/]owner/app[/path]": submit uses all of it, status, result and cancel only
    /// "[namespace/]owner/app". The namespaces are the official clients' ("workflows", "comfy": fal-js parseEndpointId,
    /// fal_client's _parse_endpoint_id): then owner and app are the next two segments.
    /// </summary>
    internal sealed class FalModelId
    {
        public const string MusicGenerator = "CassetteAI/music-generator";
        public const string SoundEffectsGenerator = "cassetteai/sound-effects-generator";

        /// <summary>The CassetteAI endpoints on fal, offered by -Model's argument completion.</summary>
        public static readonly string[] Known = { MusicGenerator, SoundEffectsGenerator };

        private static readonly string[] Namespaces = { "workflows", "comfy" };

        private FalModelId(string fullId, string appPath, string? ns)
        {
            FullId = fullId;
            AppPath = appPath;
            Namespace = ns;
        }

        public string FullId { get; }
        /// <summary>What status, result and cancel urls are built on: "[namespace/]owner/app".</summary>
        public string AppPath { get; }
        /// <summary>"workflows" or "comfy", else null.</summary>
        public string? Namespace { get; }

        public static FalModelId Parse(string value)
        {
            if (value is null) throw new ArgumentNullException(nameof(value));
            string trimmed = value.Trim().Trim('/');
            string[] parts = trimmed.Split('/');
            if (Array.Exists(parts, p => p.Length == 0 || p.Trim() != p))
                throw new ArgumentException($"'{value}' is not a fal model id of the form owner/app[/path].", nameof(value));
            string? ns = Array.Find(Namespaces, n => n == parts[0]);
            int first = ns is null ? 0 : 1;
            if (parts.Length < first + 2)
                throw new ArgumentException(ns is null
                    ? $"'{value}' is not a fal model id of the form owner/app[/path]."
                    : $"'{value}' is not a fal model id of the form {ns}/owner/app[/path].", nameof(value));
            string appPath = (ns is null ? "" : ns + "/") + parts[first] + "/" + parts[first + 1];
            return new FalModelId(trimmed, appPath, ns);
        }

        public override string ToString() => FullId;
    }
}
