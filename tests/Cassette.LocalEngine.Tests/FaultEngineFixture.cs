namespace Cassette.LocalEngine.Tests;

/// <summary>An engine with the fault control API on; tests of one class run one at a time and clear the rules first.</summary>
public sealed class FaultEngineFixture : IAsyncLifetime
{
    public TestEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync() => Engine = await TestEngine.StartAsync("--EnableFaultInjection", "true");

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}
