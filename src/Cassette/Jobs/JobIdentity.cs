namespace Cassette.Jobs
{
    /// <summary>
    /// The command a job's work stands for, as the cmdlet layer names it: its name (New-CassetteTrack) and the type name
    /// a cmdlet's own error records carry in FullyQualifiedErrorId. Given from above, so jobs never name a cmdlet class.
    /// </summary>
    internal sealed class JobIdentity
    {
        public JobIdentity(string commandName, string commandTypeName)
        {
            CommandName = commandName;
            CommandTypeName = commandTypeName;
        }

        public string CommandName { get; }
        public string CommandTypeName { get; }
    }
}
