using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Protocol;

namespace Cassette.Lifecycle
{
    /// <summary>
    /// Waits for a request to complete: follows the SSE status stream and falls back to polling when the stream cannot
    /// be opened, breaks, goes silent or ends early. Reports queue position, phase and new server log lines as it goes.
    /// </summary>
    internal sealed class RequestWaiter
    {
        /// <summary>How often the status is asked for when there is no stream to follow.</summary>
        public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);

        private readonly FalQueueClient _client;
        private readonly IMessageSink _sink;
        private readonly int _activityId;
        private readonly string _activity;
        private int _logsSeen;
        private ActivityPhase _phase = ActivityPhase.Submitting;
        private DateTimeOffset _phaseStarted = DateTimeOffset.UtcNow;
        private int? _lastPosition;
        private LogShape _completedShape = LogShape.WholeLog;

        public RequestWaiter(FalQueueClient client, IMessageSink sink, int activityId, string activity)
        {
            _client = client;
            _sink = sink;
            _activityId = activityId;
            _activity = activity;
        }

        /// <summary>
        /// Waits until the request completes and returns that status without reporting it: the caller asks for the
        /// result first and then reports it (<see cref="ReportCompleted"/>), so the report is not on the way to the track.
        /// </summary>
        public async Task<FalStatus> WaitAsync(FalModelId model, string requestId, Uri? statusUrl, CancellationToken cancellationToken)
        {
            var client = _client;
            if (UseStatusStream)
            {
                try
                {
                    var completed = await client.StreamStatusAsync(model, requestId, statusUrl, ReportUnlessCompleted, _sink.Verbose, cancellationToken).ConfigureAwait(false);
                    if (completed != null)
                    {
                        _completedShape = LogShape.NewLinesOnly;
                        return completed;
                    }
                    _sink.Verbose($"Request {requestId}: the status stream ended before the request completed; polling instead.");
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsStreamFailure(ex))
                {
                    _sink.Verbose($"Request {requestId}: the status stream failed ({ex.GetBaseException().Message}); polling instead.");
                }
            }
            while (true)
            {
                var status = await client.GetStatusAsync(model, requestId, statusUrl, includeLogs: true, _sink.Verbose, cancellationToken).ConfigureAwait(false);
                if (status.IsCompleted)
                {
                    _completedShape = LogShape.WholeLog;
                    return status;
                }
                Report(status, LogShape.WholeLog);
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

        /// <summary>Follow the SSE status stream (falling back to polling when it fails) rather than poll from the start.</summary>
        public bool UseStatusStream { get; set; } = true;

        /// <summary>Answers that polling would only repeat (a bad key, an unknown request) are not stream failures.</summary>
        private static bool IsStreamFailure(Exception ex)
        {
            if (ex is FalApiException api)
            {
                int code = (int)api.StatusCode;
                return !(code == 401 || code == 403 || code == 404 || code == 422);
            }
            return true;
        }

        /// <summary>Reports the completed status WaitAsync returned, with its log lines as the stream or the poll sent them.</summary>
        public void ReportCompleted(FalStatus status) => Report(status, _completedShape);

        private void ReportUnlessCompleted(FalStatus status)
        {
            if (!status.IsCompleted) Report(status, LogShape.NewLinesOnly);
        }

        /// <summary>
        /// Reports a status. fal's stream sends only the log lines new since its previous event (the JS client adds them up
        /// itself); a poll with logs=1 sends the whole log so far. Either way each line reaches the sink once: stream lines
        /// are counted as they pass, and a poll after the stream skips the lines the stream already delivered.
        /// </summary>
        private void Report(FalStatus status, LogShape shape)
        {
            var phase = status.IsCompleted ? ActivityPhase.FetchingResult
                : status.Status == FalStatus.InProgress ? ActivityPhase.InProgress : ActivityPhase.InQueue;
            if (phase != _phase)
            {
                _phase = phase;
                _phaseStarted = DateTimeOffset.UtcNow;
                _sink.Verbose($"Request {status.RequestId}: {Describe(phase)}.");
            }
            if (phase == ActivityPhase.InQueue && status.QueuePosition != _lastPosition)
            {
                _lastPosition = status.QueuePosition;
                if (status.QueuePosition is int p) _sink.Verbose($"Request {status.RequestId}: queue position {p}.");
            }
            _sink.Progress(new ActivityProgress(_activityId, _activity, phase, status.RequestId, status.QueuePosition, _phaseStarted));
            IReadOnlyList<FalLogEntry> logs = status.Logs;
            int first = 0;
            if (shape == LogShape.WholeLog)
            {
                // A whole log shorter than what was already seen is a log that started again.
                if (logs.Count < _logsSeen) _logsSeen = 0;
                first = _logsSeen;
                _logsSeen = logs.Count;
            }
            else
            {
                _logsSeen += logs.Count;
            }
            for (int i = first; i < logs.Count; i++)
                _sink.Information(new CassetteLogEntry(logs[i].Timestamp, logs[i].Level, logs[i].Message, status.RequestId));
        }

        private static string Describe(ActivityPhase phase) => phase switch
        {
            ActivityPhase.InQueue => "in the queue",
            ActivityPhase.InProgress => "generating",
            ActivityPhase.FetchingResult => "completed",
            _ => phase.ToString(),
        };
    }

    /// <summary>What the logs of a status are: the whole log so far (a poll) or only the lines new since the last event (the stream).</summary>
    internal enum LogShape
    {
        WholeLog,
        NewLinesOnly,
    }
}
