using System;
using Cassette.Journal;
using Cassette.Protocol;

namespace Cassette.Generation
{
    /// <summary>
    /// Everything a generation needs, captured on the pipeline thread before any work starts, so background work never
    /// reads session state: the client (with the key and retry policy), the model, submit options, journal, deadlines.
    /// </summary>
    internal sealed class GenerationSettings
    {
        public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);
        /// <summary>How long the remote cancel after Ctrl+C or a timeout may take before the command gives up on it.</summary>
        public static readonly TimeSpan CancelDeadline = TimeSpan.FromSeconds(10);

        public GenerationSettings(FalQueueClient client, FalModelId model, SubmitOptions submitOptions, JobJournal journal, TimeSpan? timeout)
        {
            Client = client;
            Model = model;
            SubmitOptions = submitOptions;
            Journal = journal;
            Timeout = timeout;
        }

        public FalQueueClient Client { get; }
        public FalModelId Model { get; }
        public SubmitOptions SubmitOptions { get; }
        public JobJournal Journal { get; }
        /// <summary>The client deadline for the whole request; null waits as long as it takes.</summary>
        public TimeSpan? Timeout { get; }
        public TimeSpan PollInterval { get; set; } = DefaultPollInterval;
        /// <summary>Follow the SSE status stream (falling back to polling when it fails) rather than poll from the start.</summary>
        public bool UseStatusStream { get; set; } = true;
    }
}
