// The one way the Cassette local engine is started as a process: by build/LocalEngine.psm1 (build.ps1, Pester,
// bench), which compiles this file with Add-Type, and by the xunit projects and bench/Soak, which link it.
// Kept to plain C# that PowerShell's Add-Type compiles as well as the SDK does.
#nullable disable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.EngineSupport
{
    /// <summary>
    /// A local engine process: <c>dotnet Cassette.LocalEngine.dll --urls http://127.0.0.1:0 --ApiKey key ...</c>,
    /// its standard output and error appended line by line to a log file that outlives it, and its address taken
    /// from the "listening on" line, awaited as an event with a deadline that fires even when the engine is silent.
    /// </summary>
    public sealed class LocalEngineProcess : IDisposable
    {
        private static readonly Regex ListeningLine = new Regex(@"listening on (http://\S+)", RegexOptions.CultureInvariant);
        private readonly object _logGate = new object();
        private readonly StreamWriter _log;
        private readonly TaskCompletionSource<Uri> _listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _outputClosed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _logClosed;

        private LocalEngineProcess(Process process, string apiKey, string logPath, StreamWriter log)
        {
            Process = process;
            ApiKey = apiKey;
            LogPath = logPath;
            _log = log;
        }

        public Process Process { get; }
        public string ApiKey { get; }
        /// <summary>Everything the engine wrote (its own log included); kept until <see cref="DeleteLog"/>.</summary>
        public string LogPath { get; }
        /// <summary>The engine's base address, with a trailing slash.</summary>
        public Uri Url { get; private set; }
        public bool HasExited { get { return Process.HasExited; } }

        /// <summary>The command line every launcher uses, so tests start the engine as a user would.</summary>
        public static ProcessStartInfo StartInfo(string enginePath, string apiKey, IEnumerable<string> arguments)
        {
            string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            var info = new ProcessStartInfo(string.IsNullOrEmpty(host) || !File.Exists(host) ? "dotnet" : host)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(enginePath);
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add("http://127.0.0.1:0");
            if (apiKey != null)
            {
                info.ArgumentList.Add("--ApiKey");
                info.ArgumentList.Add(apiKey);
            }
            foreach (string argument in arguments ?? Array.Empty<string>()) info.ArgumentList.Add(argument);
            return info;
        }

        /// <summary>
        /// Starts the engine and returns once it listens. Throws, with the engine's own output, when it exits first
        /// or does not listen within <paramref name="deadline"/> (a hang guard: make it generous).
        /// </summary>
        public static LocalEngineProcess Start(string enginePath, string apiKey, IEnumerable<string> arguments, TimeSpan deadline, string logPath = null)
        {
            if (!File.Exists(enginePath)) throw new FileNotFoundException("The local engine is not at " + enginePath + ": build the solution first.", enginePath);
            return Start(StartInfo(enginePath, apiKey, arguments), apiKey, deadline, logPath);
        }

        /// <summary>The same, from a command line built by <see cref="StartInfo"/> and then adjusted (its environment).</summary>
        public static LocalEngineProcess Start(ProcessStartInfo info, string apiKey, TimeSpan deadline, string logPath = null)
        {
            logPath = logPath ?? Path.Combine(Path.GetTempPath(), "cassette-engine-" + Guid.NewGuid().ToString("N") + ".log");
            var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
            var process = new Process { StartInfo = info };
            var engine = new LocalEngineProcess(process, apiKey, logPath, log);
            process.OutputDataReceived += (sender, e) => engine.OnOutput(e.Data, fromError: false);
            process.ErrorDataReceived += (sender, e) => engine.OnOutput(e.Data, fromError: true);
            try
            {
                process.Start();
            }
            catch
            {
                engine.CloseLog();
                throw;
            }
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var listening = engine._listening.Task;
            bool signalled;
            try { signalled = listening.Wait(deadline); }
            catch (AggregateException) { signalled = true; }
            if (signalled && listening.Status == TaskStatus.RanToCompletion)
            {
                engine.Url = listening.Result;
                return engine;
            }
            string why = signalled
                ? "exited with code " + engine.ExitCodeOrUnknown() + " before it listened"
                : "did not report its address within " + deadline.TotalSeconds + " s";
            engine.Kill();
            throw new InvalidOperationException("The local engine " + why + ". Its output:" + Environment.NewLine + engine.LogTail(40));
        }

        private void OnOutput(string line, bool fromError)
        {
            if (line == null)
            {
                // Standard output closes when the process exits: it will never listen now.
                if (!fromError)
                {
                    _outputClosed.TrySetResult(true);
                    _listening.TrySetException(new InvalidOperationException("The engine exited."));
                }
                return;
            }
            lock (_logGate)
            {
                if (!_logClosed) _log.WriteLine(fromError ? "[stderr] " + line : line);
            }
            if (!fromError && !_listening.Task.IsCompleted)
            {
                var match = ListeningLine.Match(line);
                if (match.Success) _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }

        /// <summary>The last <paramref name="lines"/> lines the engine wrote, for a failure's report.</summary>
        public string LogTail(int lines)
        {
            string[] all;
            try
            {
                using (var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var reader = new StreamReader(stream))
                    all = reader.ReadToEnd().Split('\n');
            }
            catch (IOException) { return "(the engine log " + LogPath + " could not be read)"; }
            int skip = Math.Max(0, all.Length - lines);
            return string.Join("\n", all, skip, all.Length - skip).TrimEnd();
        }

        /// <summary>
        /// Asks the engine to shut down gracefully (SIGTERM, as a service manager would), so it removes its temporary
        /// files; kills it when it has not exited within <paramref name="timeout"/>. True when it exited on its own.
        /// </summary>
        public bool Stop(TimeSpan timeout)
        {
            bool graceful = true;
            if (!Process.HasExited)
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) Process.Kill(true);
                else SignalTerminate(Process.Id);
                if (!Process.WaitForExit((int)timeout.TotalMilliseconds))
                {
                    graceful = false;
                    Kill();
                }
            }
            // The last lines may still be in the pipe: let them reach the log before it closes.
            _outputClosed.Task.Wait(TimeSpan.FromSeconds(5));
            CloseLog();
            return graceful;
        }

        public void DeleteLog()
        {
            CloseLog();
            try { File.Delete(LogPath); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        /// <summary>Stops the engine; the log stays for whoever reports a failure (see <see cref="DeleteLog"/>).</summary>
        public void Dispose()
        {
            Stop(TimeSpan.FromSeconds(15));
            Process.Dispose();
        }

        private void Kill()
        {
            try
            {
                if (!Process.HasExited) Process.Kill(true);
                Process.WaitForExit(15000);
            }
            catch (InvalidOperationException) { }
            CloseLog();
        }

        private void CloseLog()
        {
            lock (_logGate)
            {
                if (_logClosed) return;
                _logClosed = true;
                _log.Dispose();
            }
        }

        private string ExitCodeOrUnknown()
        {
            try { return Process.WaitForExit(5000) ? Process.ExitCode.ToString() : "(still running)"; }
            catch (InvalidOperationException) { return "(unknown)"; }
        }

        private static void SignalTerminate(int processId)
        {
            const int SigTerm = 15;
            kill(processId, SigTerm);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }
}
