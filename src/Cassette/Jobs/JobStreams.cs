using System;
using System.Management.Automation;

namespace Cassette.Jobs
{
    internal static class JobStreams
    {
        /// <summary>A job's streams close when it finishes or is removed; what arrives after that has nowhere to go.</summary>
        public static void TryAdd<T>(PSDataCollection<T> stream, T item)
        {
            if (!stream.IsOpen) return;
            try
            {
                stream.Add(item);
            }
            catch (InvalidOperationException)
            {
                // Closed between the check and the add, or disposed with a removed job (ObjectDisposedException).
            }
        }
    }
}
