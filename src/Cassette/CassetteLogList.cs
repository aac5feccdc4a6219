using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Cassette
{
    /// <summary>
    /// A request's server log lines. A list to scripts; as text (Export-Csv, string expansion) the lines themselves,
    /// one per line, never a type name.
    /// </summary>
    public sealed class CassetteLogList : ReadOnlyCollection<CassetteLogEntry>
    {
        public static readonly CassetteLogList Empty = new CassetteLogList(new CassetteLogEntry[0]);

        public CassetteLogList(IList<CassetteLogEntry> entries) : base(entries) { }

        public override string ToString() => string.Join("\n", this);
    }
}
