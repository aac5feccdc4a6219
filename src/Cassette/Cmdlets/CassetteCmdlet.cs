using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Errors;
using Cassette.Lifecycle;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// What every Cassette cmdlet shares: one cancellation source per invocation that Ctrl+C (StopProcessing) cancels,
    /// one pipeline pump through which all async work (and the foreground's jobs) reaches the pipeline, drained only
    /// here on the pipeline thread, and one way to turn failures into error records.
    /// </summary>
    public abstract class CassetteCmdlet : PSCmdlet, IDisposable
    {
        /// <summary>
        /// The longest -TimeoutSec: .NET's timers take at most 2^32 - 2 ms (about 49.7 days), and a longer deadline made
        /// CancelAfter throw ArgumentOutOfRangeException (UnexpectedError) instead of a binding error naming the range.
        /// </summary>
        internal const int MaxTimeoutSec = 4294967;

        /// <summary>How often the pipeline thread wakes without news, so elapsed times on progress bars keep moving.</summary>
        private static readonly TimeSpan ProgressTick = TimeSpan.FromMilliseconds(500);

        /// <summary>How long the pipeline thread waits for background work to end once Ctrl+C was pressed.</summary>
        private static readonly TimeSpan StopGrace = RequestLifecycle.CancelDeadline + TimeSpan.FromSeconds(5);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly Dictionary<int, string> _shownProgress = new Dictionary<int, string>();
        private readonly PipelinePump _pump = new PipelinePump();
        private bool _writing = true;
        /// <summary>What the pipeline threw when it refused a write (Ctrl+C, or Select-Object -First downstream), to rethrow as it was.</summary>
        private ExceptionDispatchInfo? _refusal;

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>Where work off the pipeline thread posts; only this class drains it.</summary>
        internal PipelinePump Pump => _pump;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Sealed so that every Cassette cmdlet loads the module's views (<see cref="FormatViews"/>) before it can write
        /// anything; a cmdlet's own start goes in <see cref="Begin"/>.
        /// </summary>
        protected sealed override void BeginProcessing()
        {
            FormatViews.EnsureLoaded(this);
            Begin();
        }

        /// <summary>What a cmdlet does once before the first pipeline record (PowerShell's BeginProcessing).</summary>
        protected virtual void Begin()
        {
        }

        /// <summary>-WhatIf is in force: given to this command, else $WhatIfPreference.</summary>
        internal bool IsWhatIf() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given)
                ? given is SwitchParameter { IsPresent: true } || given is true
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>
        /// Runs async work off the pipeline thread and, until it ends, writes what it posts (progress, verbose,
        /// information, warnings) from this thread. After Ctrl+C it stops writing but still waits (bounded) for the
        /// work, which is cancelling its remote request, so the command returns only once that is done.
        /// </summary>
        internal T Run<T>(Func<IMessageSink, CancellationToken, Task<T>> work)
        {
            var token = StopToken;
            var task = Task.Run(() => work(_pump, token));
            task.ContinueWith(_ => _pump.Signal(), TaskScheduler.Default);
            try
            {
                if (!PumpUntil(task, null))
                {
                    // Stopped: nothing more is written; give the work a bounded time to cancel its remote request.
                    ((IAsyncResult)task).AsyncWaitHandle.WaitOne(StopGrace);
                    WarnPendingAfterStop();
                    if (token.IsCancellationRequested && !task.IsCompleted) throw Stopped();
                }
                try
                {
                    return task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }
            finally
            {
                CompleteProgress();
            }
        }

        /// <summary>
        /// Drains the pump on this thread until <paramref name="done"/> completes; <paramref name="tick"/> runs after a
        /// drain, at most once per ProgressTick. False when the command is stopping (Ctrl+C, or the pipeline refused a write) before that.
        /// </summary>
        internal bool PumpUntil(Task done, Action? tick)
        {
            var token = StopToken;
            // The tick redraws every running bar, so it runs once per ProgressTick, not on every wake: a batch of 400
            // wakes the thread thousands of times, and each drain already shows what changed.
            var sinceTick = System.Diagnostics.Stopwatch.StartNew();
            while (!done.IsCompleted)
            {
                _pump.Wait(ProgressTick, token);
                if (_writing) _writing = DrainPump();
                if (_writing && tick != null && sinceTick.Elapsed >= ProgressTick)
                {
                    tick();
                    sinceTick.Restart();
                }
                if (!_writing || token.IsCancellationRequested) return false;
            }
            if (_writing) _writing = DrainPump();
            return _writing;
        }

        /// <summary>Writes everything posted so far; false when the pipeline is stopping and nothing more may be written.</summary>
        internal bool DrainPump()
        {
            try
            {
                while (_pump.TryTake(out var message))
                {
                    switch (message.Kind)
                    {
                        case PipelinePump.Kind.Verbose: WriteVerbose((string)message.Payload); break;
                        case PipelinePump.Kind.Warning: WriteWarning((string)message.Payload); break;
                        case PipelinePump.Kind.Information:
                            var entry = (CassetteLogEntry)message.Payload;
                            WriteInformation(entry, new[] { "Cassette", "ServerLog", entry.Level });
                            break;
                        case PipelinePump.Kind.OnPipelineThread: ((Action)message.Payload)(); break;
                    }
                }
                var now = DateTimeOffset.UtcNow;
                foreach (var progress in _pump.CurrentProgress) ShowProgress(progress, now);
                return true;
            }
            catch (PipelineStoppedException refused)
            {
                _refusal ??= ExceptionDispatchInfo.Capture(refused);
                return false;
            }
        }

        /// <summary>
        /// After Ctrl+C PowerShell refuses every write to the command's streams, but a warning the stop itself raised (a
        /// cancel that failed, a submission whose answer was lost) is about money and must not be lost with them: it goes
        /// straight to the host's window instead, unless -WarningAction or $WarningPreference silences warnings.
        /// </summary>
        internal void WarnAfterStop(string message)
        {
            try
            {
                if (WarningsSilenced()) return;
                Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception ex) when (ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is InvalidOperationException)
            {
                // A host without a window (a runspace opened by a program) has nowhere to show it.
            }
        }

        /// <summary>The warnings posted to the pump and not yet written, shown as <see cref="WarnAfterStop"/> does; the rest is dropped.</summary>
        internal void WarnPendingAfterStop()
        {
            while (_pump.TryTake(out var message))
            {
                if (message.Kind == PipelinePump.Kind.Warning) WarnAfterStop((string)message.Payload);
            }
        }

        private bool WarningsSilenced()
        {
            object? preference = MyInvocation.BoundParameters.TryGetValue("WarningAction", out var given) ? given : GetVariableValue("WarningPreference");
            if (preference is PSObject wrapped) preference = wrapped.BaseObject;
            return preference is ActionPreference action && (action == ActionPreference.SilentlyContinue || action == ActionPreference.Ignore);
        }

        /// <summary>
        /// Ends the command after the pump stopped writing: with the pipeline's own exception when it refused a write
        /// (a StopUpstreamCommandsException from Select-Object -First must reach PowerShell as it was), else as stopped.
        /// </summary>
        internal Exception Stopped()
        {
            _refusal?.Throw();
            return new PipelineStoppedException();
        }

        private void CompleteProgress()
        {
            if (!_writing || StopToken.IsCancellationRequested) return;
            try
            {
                foreach (var progress in _pump.CurrentProgress) EndProgress(progress);
                _pump.ClearProgress();
            }
            catch (PipelineStoppedException refused)
            {
                _refusal ??= ExceptionDispatchInfo.Capture(refused);
                _writing = false;
            }
        }

        /// <summary>Shows an activity's progress from the pipeline thread, unless the same text is already shown.</summary>
        internal void ShowProgress(ActivityProgress progress, DateTimeOffset now, int parentActivityId = -1)
        {
            if (progress.Phase == ActivityPhase.Done)
            {
                EndProgress(progress, parentActivityId);
                return;
            }
            ShowProgressRecord(new ProgressRecord(progress.ActivityId, progress.Activity, progress.Describe(now))
            {
                PercentComplete = progress.PercentComplete,
                ParentActivityId = parentActivityId,
            });
        }

        /// <summary>Writes a progress record unless the same one is already shown (a host redraws on every record).</summary>
        internal void ShowProgressRecord(ProgressRecord record)
        {
            string text = $"{record.ParentActivityId}|{record.Activity}|{record.StatusDescription}|{record.PercentComplete}";
            if (_shownProgress.TryGetValue(record.ActivityId, out var shown) && shown == text) return;
            _shownProgress[record.ActivityId] = text;
            WriteProgress(record);
        }

        /// <summary>Writes a record that closes a bar shown with ShowProgressRecord.</summary>
        internal void CloseProgressRecord(ProgressRecord record)
        {
            if (!_shownProgress.Remove(record.ActivityId)) return;
            WriteProgress(record);
        }

        /// <summary>Closes an activity's progress bar if one was shown.</summary>
        internal void EndProgress(ActivityProgress progress, int parentActivityId = -1)
        {
            if (!_shownProgress.Remove(progress.ActivityId)) return;
            WriteProgress(new ProgressRecord(progress.ActivityId, progress.Activity, "Done")
            {
                RecordType = ProgressRecordType.Completed,
                ParentActivityId = parentActivityId,
            });
        }

        /// <summary>A non-terminating error for one input, from the catalogue, with the request as target once there is one.</summary>
        internal void WriteFailure(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

        internal void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ErrorRecords.From(exception, target));

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>PowerShell disposes a command however its pipeline ended (done, Ctrl+C, a terminating error).</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stopping.Dispose();
                _pump.Dispose();
            }
        }
    }
}
