using System;

namespace Cassette.Protocol
{
    /// <summary>A fal model id, "owner/app[/path]": submit uses all of it, status, result and cancel only "owner/app".</summary>
    internal sealed class FalModelId
    {
        public const string MusicGenerator = "CassetteAI/music-generator";
        public const string SoundEffectsGenerator = "cassetteai/sound-effects-generator";

        /// <summary>The CassetteAI endpoints on fal, offered by -Model's argument completion.</summary>
        public static readonly string[] Known = { MusicGenerator, SoundEffectsGenerator };

        private FalModelId(string fullId, string appPath)
        {
            FullId = fullId;
            AppPath = appPath;
        }

        public string FullId { get; }
        public string AppPath { get; }

        public static FalModelId Parse(string value)
        {
            if (value is null) throw new ArgumentNullException(nameof(value));
            string trimmed = value.Trim().Trim('/');
            string[] parts = trimmed.Split('/');
            if (parts.Length < 2 || Array.Exists(parts, p => p.Length == 0 || p.Trim() != p))
                throw new ArgumentException($"'{value}' is not a fal model id of the form owner/app[/path].", nameof(value));
            return new FalModelId(trimmed, parts[0] + "/" + parts[1]);
        }

        public override string ToString() => FullId;
    }
}
