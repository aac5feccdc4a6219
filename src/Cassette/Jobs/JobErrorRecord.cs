using System;
using System.Management.Automation;
using Cassette.Errors;

namespace Cassette.Jobs
{
    /// <summary>
    /// Error records for a job's Error stream. A cmdlet's WriteError gives a record the command's identity, which makes
    /// FullyQualifiedErrorId "Id,Cassette.Cmdlets.XxxCommand"; a record made on a worker thread has no such identity and
    /// Receive-Job keeps it as it is. So the identity is added here, and a script that matches on the id sees the same
    /// FullyQualifiedErrorId with and without -AsJob.
    /// </summary>
    internal static class JobErrorRecord
    {
        public static ErrorRecord Create(Exception failure, object? target, JobIdentity identity)
        {
            var mapped = ErrorRecords.From(failure, target);
            var record = new ErrorRecord(mapped.Exception, mapped.FullyQualifiedErrorId + "," + identity.CommandTypeName, mapped.CategoryInfo.Category, mapped.TargetObject)
            {
                ErrorDetails = mapped.ErrorDetails,
            };
            record.CategoryInfo.Activity = identity.CommandName;
            return record;
        }
    }
}
