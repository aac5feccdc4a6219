using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Protocol;

namespace Cassette.Generation
{
    /// <summary>
    /// Waits for a request to complete: follows the SSE status stream and falls back to polling when the stream cannot
    /// be opened, breaks, goes silent or ends early. Reports queue position, phase and new server log lines as it goes.
    /// </summary>
    internal sealed class RequestWaiter
    {
        private readonly GenerationSettings _settings;
        private readonly IGenerationSink _sink;
        private readonly int _activityId;
        private readonly string _activity;
        private int _logsSeen;
        private GenerationPhase _phase = GenerationPhase.Submitting;
        private DateTimeOffset _phaseStarted = DateTimeOffset.UtcNow;
        private int? _lastPosition;

        public RequestWaiter(GenerationSettings settings, IGenerationSink sink, int activityId, string activity)
        {
            _settings = settings;
            _sink = sink;
            _activityId = activityId;
            _activity = activity;
        }

        public async Task<FalStatus> WaitAsync(FalModelId model, string requestId, Uri? statusUrl, CancellationToken cancellationToken)
        {
            var client = _settings.Client;
            if (_settings.UseStatusStream)
            {
                try
                {
                    var completed = await client.StreamStatusAsync(model, requestId, statusUrl, s => Report(s), _sink.Verbose, cancellationToken).ConfigureAwait(false);
                    if (completed != null) return completed;
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
                Report(status);
                if (status.IsCompleted) return status;
                await Task.Delay(_settings.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

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

        public void Report(FalStatus status)
        {
            var phase = status.IsCompleted ? GenerationPhase.FetchingResult
                : status.Status == FalStatus.InProgress ? GenerationPhase.InProgress : GenerationPhase.InQueue;
            if (phase != _phase)
            {
                _phase = phase;
                _phaseStarted = DateTimeOffset.UtcNow;
                _sink.Verbose($"Request {status.RequestId}: {Describe(phase)}.");
            }
            if (phase == GenerationPhase.InQueue && status.QueuePosition != _lastPosition)
            {
                _lastPosition = status.QueuePosition;
                if (status.QueuePosition is int p) _sink.Verbose($"Request {status.RequestId}: queue position {p}.");
            }
            _sink.Progress(new GenerationProgress(_activityId, _activity, phase, status.RequestId, status.QueuePosition, _phaseStarted));
            IReadOnlyList<FalLogEntry> logs = status.Logs;
            // fal sends the whole log each time; only lines not seen yet are new. A shorter list means a restarted log.
            if (logs.Count < _logsSeen) _logsSeen = 0;
            for (int i = _logsSeen; i < logs.Count; i++)
                _sink.Information(new CassetteLogEntry(logs[i].Timestamp, logs[i].Level, logs[i].Message, status.RequestId));
            _logsSeen = logs.Count;
        }

        private static string Describe(GenerationPhase phase) => phase switch
        {
            GenerationPhase.InQueue => "in the queue",
            GenerationPhase.InProgress => "generating",
            GenerationPhase.FetchingResult => "completed",
            _ => phase.ToString(),
        };
    }
}
