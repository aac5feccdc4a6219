using System.Management.Automation;
using Cassette.Cmdlets;
using Cassette.Lifecycle;
using Cassette.Jobs;

namespace Cassette.Tests.Jobs;

/// <summary>Work whose behaviour a test scripts, so job semantics can be checked without a queue.</summary>
internal sealed class FakeWork : IJobWork
{
    private readonly Func<IMessageSink, Action<object>, Action, CancellationToken, Task<object>> _run;

    public FakeWork(string name, Func<IMessageSink, CancellationToken, Task<object>> run)
        : this(name, (sink, _, _, token) => run(sink, token))
    {
    }

    /// <summary>Work that may hand its output over before it returns.</summary>
    public FakeWork(string name, Func<IMessageSink, Action<object>, CancellationToken, Task<object>> run)
        : this(name, (sink, handOver, _, token) => run(sink, handOver, token))
    {
    }

    /// <summary>Work that may also say its request left the queue before it returns.</summary>
    public FakeWork(string name, Func<IMessageSink, Action<object>, Action, CancellationToken, Task<object>> run)
    {
        Command = $"fake {name}";
        _run = run;
    }

    public string Command { get; }
    public string CommandName => "New-CassetteTrack";
    public string Location => "queue.example:8443";
    public object? FailureTarget => Command;

    public Task<object> RunAsync(IMessageSink sink, Action<object> handOver, Action leftQueue, CancellationToken cancellationToken) =>
        _run(sink, handOver, leftQueue, cancellationToken);

    public ErrorRecord ToJobErrorRecord(Exception failure) =>
        JobErrorRecord.Create(failure, FailureTarget, new JobIdentity(CommandName, typeof(NewCassetteTrackCommand).FullName!));

    public static FakeWork Returning(string name, object result) => new(name, (_, _) => Task.FromResult(result));

    public static FakeWork Throwing(string name, Exception failure) => new(name, (_, _) => Task.FromException<object>(failure));

    /// <summary>Runs until released or cancelled; counts how many such works run at once.</summary>
    public static FakeWork Blocking(string name, Gate gate) => new(name, async (_, token) =>
    {
        gate.Enter(name);
        try
        {
            await gate.Released.WaitAsync(token);
            return name;
        }
        finally
        {
            gate.Leave();
        }
    });
}

/// <summary>Holds blocking works until the test releases them, and records how many ran at once and in what order.</summary>
internal sealed class Gate
{
    private readonly TaskCompletionSource<bool> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();
    private int _running;

    public List<string> Started { get; } = new();
    public int Peak { get; private set; }

    public int Running
    {
        get
        {
            lock (_lock) return _running;
        }
    }

    public Task Released => _release.Task;

    public void Release() => _release.TrySetResult(true);

    public void Enter(string name)
    {
        lock (_lock)
        {
            Started.Add(name);
            _running++;
            Peak = Math.Max(Peak, _running);
        }
    }

    public void Leave()
    {
        lock (_lock) _running--;
    }
}
