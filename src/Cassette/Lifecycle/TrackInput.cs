using Cassette.Journal;
using Cassette.Protocol;

namespace Cassette.Lifecycle
{
    /// <summary>What one track is generated from, captured on the pipeline thread: model, prompt, length and queue options.</summary>
    internal sealed class TrackInput
    {
        public TrackInput(FalModelId model, string prompt, int duration, SubmitOptions submitOptions, BatchItemKey? batchItem = null)
        {
            BatchItem = batchItem;
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
        /// <summary>The New-CassetteTrack -BatchName item this track is, recorded with its submission; null outside a batch.</summary>
        public BatchItemKey? BatchItem { get; }
        /// <summary>The progress bar this track's work reports to.</summary>
        public int ActivityId { get; }
        /// <summary>The bar's title: the prompt, short enough to leave its status legible on a narrow screen.</summary>
        public string Activity => $"{Shorten(Prompt, 40)} ({Duration} s)";

        public static string Shorten(string text, int length = 60) => text.Length <= length ? text : text.Substring(0, length - 3) + "...";
    }
}
