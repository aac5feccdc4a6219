using System;
using System.Collections.Generic;
using Cassette.Journal;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// The items of one New-CassetteTrack -BatchName invocation, in input order: it numbers identical items (model,
    /// prompt, duration) and finds each in the journal's record of the batch, read once when the first item arrives (the
    /// journal's lock makes that read consistent with writers in other processes). Used on the pipeline thread only.
    /// </summary>
    internal sealed class BatchPlan
    {
        private readonly RequestJournal _journal;
        private readonly Dictionary<BatchItemKey, int> _seen = new Dictionary<BatchItemKey, int>();
        private IReadOnlyDictionary<BatchItemKey, CassetteRequest>? _recorded;

        public BatchPlan(string name, RequestJournal journal)
        {
            Name = name;
            _journal = journal;
        }

        public string Name { get; }

        /// <summary>
        /// The next item for this input, and the request to reuse for it: a completed one (returned again) or one still in
        /// flight (waited for). Null when the item must be submitted: new to the batch, or its request failed or was cancelled.
        /// </summary>
        public (BatchItemKey Item, CassetteRequest? Reuse) Next(string model, string prompt, int duration)
        {
            var identical = new BatchItemKey(Name, model, prompt, duration, 0);
            _seen.TryGetValue(identical, out int before);
            _seen[identical] = before + 1;
            var item = new BatchItemKey(Name, model, prompt, duration, before + 1);
            _recorded ??= _journal.ReadBatch(Name);
            return _recorded.TryGetValue(item, out var known) && MayDeliver(known) ? (item, known) : (item, null);
        }

        private static bool MayDeliver(CassetteRequest job) =>
            job.Status == CassetteRequest.Completed || job.Status == CassetteRequest.InQueue || job.Status == CassetteRequest.InProgress;
    }
}
