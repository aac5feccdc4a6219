using Cassette.Protocol;

namespace Cassette.Lifecycle
{
    /// <summary>What one track is generated from, captured on the pipeline thread: model, prompt, length and queue options.</summary>
    internal sealed class TrackInput
    {
        public TrackInput(FalModelId model, string prompt, int duration, SubmitOptions submitOptions)
        {
            Model = model;
            Prompt = prompt;
            Duration = duration;
            SubmitOptions = submitOptions;
            ActivityId = ActivityProgress.NewActivityId();
        }

        public FalModelId Model { get; }
        public string Prompt { get; }
        public int Duration { get; }
        public SubmitOptions SubmitOptions { get; }
        /// <summary>The progress bar this track's work reports to.</summary>
        public int ActivityId { get; }
        public string Activity => $"Generating {Duration} s: {Shorten(Prompt)}";

        public static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
