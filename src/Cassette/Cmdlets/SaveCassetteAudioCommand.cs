using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using Cassette.Download;

namespace Cassette.Cmdlets
{
    /// <summary>Downloads a track's WAV to disk and describes the saved file.</summary>
    [Cmdlet(VerbsData.Save, "CassetteAudio", SupportsShouldProcess = true)]
    [OutputType(typeof(CassetteAudioFile))]
    public sealed class SaveCassetteAudioCommand : CassetteCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public CassetteTrack InputObject { get; set; } = null!;

        /// <summary>A folder (the file name then comes from the prompt and request id) or a file name.</summary>
        [Parameter(Position = 1)]
        public string Path { get; set; } = ".";

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            string target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (Directory.Exists(target) || Path.EndsWith("/", StringComparison.Ordinal) || Path.EndsWith("\\", StringComparison.Ordinal))
                target = System.IO.Path.Combine(target, DefaultFileName(InputObject));
            if (File.Exists(target) && !Force)
            {
                WriteError(new ErrorRecord(new IOException($"The file '{target}' already exists. Use -Force to overwrite it."),
                    "FileExists", ErrorCategory.ResourceExists, InputObject));
                return;
            }
            if (!ShouldProcess(target, $"Save audio of request {InputObject.RequestId}")) return;

            var info = Await(new AudioDownloader(Http).DownloadAsync(InputObject.AudioUrl, target, Force, StopToken));
            WriteObject(new CassetteAudioFile(target, new FileInfo(target).Length, info.DurationSeconds, info.SampleRate, info.Channels,
                info.BitsPerSample, InputObject.RequestId, InputObject.Prompt));
        }

        internal static string DefaultFileName(CassetteTrack track)
        {
            var name = new StringBuilder();
            foreach (char c in track.Prompt)
            {
                if (name.Length >= 40) break;
                if (char.IsLetterOrDigit(c) && c < 128) name.Append(char.ToLowerInvariant(c));
                else if (name.Length > 0 && name[name.Length - 1] != '-') name.Append('-');
            }
            string stem = name.ToString().Trim('-');
            string id = track.RequestId.Length > 8 ? track.RequestId.Substring(0, 8) : track.RequestId;
            return (stem.Length == 0 ? "track" : stem) + "-" + id + ".wav";
        }
    }
}
