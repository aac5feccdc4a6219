using System;

namespace Cassette.Journal
{
    /// <summary>
    /// An item of a New-CassetteTrack -BatchName batch: the batch, the model, the prompt, the duration, and the item's
    /// place among identical items of the batch (1 for the first, 2 for the second identical prompt, ...). Runs of the
    /// same batch find their earlier requests by it.
    /// </summary>
    internal readonly struct BatchItemKey : IEquatable<BatchItemKey>
    {
        public BatchItemKey(string batch, string model, string prompt, int duration, int occurrence)
        {
            Batch = batch;
            Model = model;
            Prompt = prompt;
            Duration = duration;
            Occurrence = occurrence;
        }

        public string Batch { get; }
        /// <summary>fal's model id; owners and apps are matched case-insensitively, as fal does.</summary>
        public string Model { get; }
        public string Prompt { get; }
        public int Duration { get; }
        public int Occurrence { get; }

        public bool Equals(BatchItemKey other) =>
            string.Equals(Batch, other.Batch, StringComparison.Ordinal) && string.Equals(Model, other.Model, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Prompt, other.Prompt, StringComparison.Ordinal) && Duration == other.Duration && Occurrence == other.Occurrence;

        public override bool Equals(object? obj) => obj is BatchItemKey other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                int hash = StringComparer.Ordinal.GetHashCode(Batch ?? string.Empty);
                hash = hash * 31 + StringComparer.OrdinalIgnoreCase.GetHashCode(Model ?? string.Empty);
                hash = hash * 31 + StringComparer.Ordinal.GetHashCode(Prompt ?? string.Empty);
                hash = hash * 31 + Duration;
                return hash * 31 + Occurrence;
            }
        }

        public override string ToString() => $"item {Occurrence} of \"{Prompt}\" ({Duration} s, {Model}) in batch '{Batch}'";
    }
}
