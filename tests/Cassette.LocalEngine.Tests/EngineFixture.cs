namespace Cassette.LocalEngine.Tests;

/// <summary>One engine with default options shared by a test class whose tests do not disturb each other.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public TestEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync() => Engine = await TestEngine.StartAsync();

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}
